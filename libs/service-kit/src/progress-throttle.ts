/**
 * A long job's progress as it is published: only forward from 0, at most once per interval, and
 * never 1 (the job's end is its own event). Each worker gives it how to publish one fraction.
 */
export class ProgressThrottle {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private lastFraction = 0;

  constructor(
    private readonly publish: (fraction: number) => Promise<void>,
    private readonly intervalMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(fraction: number): Promise<void> {
    const now = this.now();
    if (fraction <= this.lastFraction || fraction >= 1 || now - this.lastSentAt < this.intervalMs) return Promise.resolve();
    this.lastSentAt = now;
    this.lastFraction = fraction;
    return this.publish(fraction);
  }
}
