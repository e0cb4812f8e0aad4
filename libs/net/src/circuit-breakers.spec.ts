import { CircuitBreakers, CircuitOpenError, CircuitTimeoutError } from './circuit-breakers';

describe('CircuitBreakers', () => {
  let breakers: CircuitBreakers;
  afterEach(() => breakers.shutdown());

  it('keeps one breaker per key: a failing host does not block a healthy one', async () => {
    breakers = new CircuitBreakers({ timeout: false, volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeout: 60_000 });
    for (let i = 0; i < 2; i++) await breakers.run('bad.example', async () => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(breakers.state('bad.example')).toBe('open');
    await expect(breakers.run('bad.example', async () => 'never')).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(breakers.run('good.example', async () => 'ok')).resolves.toBe('ok');
    expect(breakers.countByState()).toEqual({ closed: 1, open: 1, 'half-open': 0 });
  });

  it('half-opens after the reset timeout and closes on a successful trial', async () => {
    breakers = new CircuitBreakers({ timeout: false, volumeThreshold: 1, resetTimeout: 100 });
    await breakers.run('h', async () => Promise.reject(new Error('boom'))).catch(() => undefined);
    expect(breakers.state('h')).toBe('open');
    await new Promise((r) => setTimeout(r, 150));
    expect(breakers.state('h')).toBe('half-open');
    await breakers.run('h', async () => 'ok');
    expect(breakers.state('h')).toBe('closed');
  });

  it('ignores errors the filter says are not the host’s fault', async () => {
    breakers = new CircuitBreakers({ timeout: false, volumeThreshold: 1 }, (e) => (e as Error).message !== 'not found');
    for (let i = 0; i < 3; i++) await breakers.run('h', async () => Promise.reject(new Error('not found'))).catch(() => undefined);
    expect(breakers.state('h')).toBe('closed');
  });

  it('abandons a call past the timeout and aborts its signal', async () => {
    breakers = new CircuitBreakers({ timeout: 50 });
    let seen: AbortSignal | undefined;
    const error = await breakers
      .run('h', (signal) => {
        seen = signal;
        return new Promise((resolve) => {
          const timer = setTimeout(resolve, 500);
          signal.addEventListener('abort', () => clearTimeout(timer));
        });
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(CircuitTimeoutError);
    expect(seen?.aborted).toBe(true);
  });
});
