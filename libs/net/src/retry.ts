export interface RetryOptions {
  /** Retries after the first attempt (0: try once). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/**
 * Exponential backoff with jitter: half of base·2^retry fixed, the other half random, capped, so
 * many clients failing together do not come back in lockstep.
 */
export function backoffDelay(retry: number, { baseDelayMs, maxDelayMs }: RetryOptions): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export interface RetryHooks {
  isRetryable: (error: unknown) => boolean;
  /** A delay the server asked for (Retry-After); used when longer than the backoff. */
  requestedDelayMs?: (error: unknown) => number | undefined;
  onRetry?: (error: unknown, retry: number, delayMs: number) => void;
  signal?: AbortSignal;
}

/** Runs `work` until it succeeds, fails with a non-retryable error, or the retries run out. */
export async function retryWithBackoff<T>(work: (attempt: number) => Promise<T>, options: RetryOptions, hooks: RetryHooks): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const retry = attempt - 1;
      if (retry >= options.retries || !hooks.isRetryable(error) || hooks.signal?.aborted) throw error;
      const delay = Math.min(options.maxDelayMs, Math.max(backoffDelay(retry, options), hooks.requestedDelayMs?.(error) ?? 0));
      hooks.onRetry?.(error, attempt, delay);
      await sleep(delay, hooks.signal);
      if (hooks.signal?.aborted) throw error;
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
