export interface ProgressThrottleOptions {
  intervalMs?: number;
  /**
   * Nothing is published this long after the throttle is made: work that ends sooner has no progress
   * worth sending. Progress reported meanwhile goes out when the quiet time ends, unless `stop` came first.
   */
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
  private readonly quietUntil: number;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private lastFraction = 0;
  private heldFraction = 0;
  private release?: NodeJS.Timeout;

  constructor(
    private readonly publish: (fraction: number) => Promise<void>,
    { intervalMs = 1_000, quietFirstMs = 0, now = Date.now }: ProgressThrottleOptions = {},
  ) {
    this.intervalMs = intervalMs;
    this.now = now;
    this.quietUntil = quietFirstMs > 0 ? now() + quietFirstMs : Number.NEGATIVE_INFINITY;
  }

  report(fraction: number): Promise<void> {
    const now = this.now();
    if (fraction <= this.lastFraction || fraction >= 1) return Promise.resolve();
    if (now < this.quietUntil) return this.hold(fraction, now);
    if (now - this.lastSentAt < this.intervalMs) return Promise.resolve();
    this.lastSentAt = now;
    this.lastFraction = fraction;
    return this.publish(fraction);
  }

  /** The work ended: progress still held back is never published. */
  stop(): void {
    clearTimeout(this.release);
    this.release = undefined;
  }

  private hold(fraction: number, now: number): Promise<void> {
    this.heldFraction = Math.max(this.heldFraction, fraction);
    // Work that stalls in its quiet time (a clip that is slow to arrive) still shows that it started.
    if (!this.release) {
      this.release = setTimeout(() => {
        this.release = undefined;
        this.report(this.heldFraction).catch(() => undefined);
      }, this.quietUntil - now);
      this.release.unref();
    }
    return Promise.resolve();
  }
}
