export interface RetrySchedule {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Exponential backoff with jitter: the n-th retry waits between 75 % and 100 % of initial·2^(n-1), capped.
 * The jitter spreads receivers' traffic after an outage, yet each gap stays longer than the one before.
 */
export function retryDelayMs(attempt: number, schedule: RetrySchedule, random: () => number = Math.random): number {
  const ceiling = Math.min(schedule.maxBackoffMs, schedule.initialBackoffMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(ceiling * (0.75 + 0.25 * random()));
}

/** When to try again after `attempt` failed at `now`, or null when that would fall past `retryUntil`. */
export function nextAttemptAt(attempt: number, now: Date, retryUntil: Date, schedule: RetrySchedule, random?: () => number): Date | null {
  const next = new Date(now.getTime() + retryDelayMs(attempt, schedule, random));
  return next > retryUntil ? null : next;
}
