import { backoffDelay, retryWithBackoff } from './retry';

describe('retryWithBackoff', () => {
  const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };

  it('retries retryable errors up to the limit, then throws the last one', async () => {
    let calls = 0;
    const error = await retryWithBackoff(
      async () => {
        calls++;
        throw new Error(`fail ${calls}`);
      },
      fast,
      { isRetryable: () => true },
    ).catch((e) => e);
    expect(calls).toBe(4);
    expect(error.message).toBe('fail 4');
  });

  it('does not retry a permanent error', async () => {
    let calls = 0;
    await retryWithBackoff(
      async () => {
        calls++;
        throw new Error('bad request');
      },
      fast,
      { isRetryable: () => false },
    ).catch(() => undefined);
    expect(calls).toBe(1);
  });

  it('grows the delay exponentially with jitter inside [ceiling/2, ceiling], capped', () => {
    const options = { retries: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    for (let i = 0; i < 50; i++) {
      expect(backoffDelay(0, options)).toBeGreaterThanOrEqual(50);
      expect(backoffDelay(0, options)).toBeLessThanOrEqual(100);
      expect(backoffDelay(2, options)).toBeGreaterThanOrEqual(200);
      expect(backoffDelay(2, options)).toBeLessThanOrEqual(400);
      expect(backoffDelay(9, options)).toBeLessThanOrEqual(1000);
    }
  });
});
