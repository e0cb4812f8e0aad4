export interface ProgressThrottleOptions {
  intervalMs?: number;
  /** Nothing is published this long after the throttle is made: work that ends sooner has no progress worth sending. */
  quietFirstMs?: number;
  now?: () => number;
}

/**
 * A long job's progress as it is published: only forward from 0, at most once per interval, and
 * never 1 (the job's end is its own event). Each worker gives it how to publish one fraction.
 */
export class ProgressThrottle {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastSentAt: number;
  private lastFraction = 0;

  constructor(
    private readonly publish: (fraction: number) => Promise<void>,
    { intervalMs = 1_000, quietFirstMs = 0, now = Date.now }: ProgressThrottleOptions = {},
  ) {
    this.intervalMs = intervalMs;
    this.now = now;
    this.lastSentAt = quietFirstMs > 0 ? now() + quietFirstMs - intervalMs : Number.NEGATIVE_INFINITY;
  }

  report(fraction: number): Promise<void> {
    const now = this.now();
    if (fraction <= this.lastFraction || fraction >= 1 || now - this.lastSentAt < this.intervalMs) return Promise.resolve();
    this.lastSentAt = now;
    this.lastFraction = fraction;
    return this.publish(fraction);
  }
}
