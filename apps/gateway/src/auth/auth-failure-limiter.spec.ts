import { AuthFailureLimiter, type AuthFailureLimits } from './auth-failure-limiter';

const limits: AuthFailureLimits = { maxFailures: 3, windowMs: 60_000, maxClients: 100, knownGoodMs: 600_000, maxKnownGood: 100 };

function limiterAt(start = 1_000_000, overrides: Partial<AuthFailureLimits> = {}) {
  const clock = { now: start };
  return { clock, limiter: new AuthFailureLimiter({ ...limits, ...overrides }, () => clock.now) };
}

describe('AuthFailureLimiter', () => {
  it('refuses an address after N failures until the window that began at its first failure ends', () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
      limiter.recordFailure('10.0.0.1');
      clock.now += 1_000;
    }
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(57);
    expect(limiter.retryAfterSeconds('10.0.0.2')).toBe(0);
    clock.now += 56_500;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(1);
    clock.now += 500;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
    // The next failure opens a fresh window with a count of one.
    limiter.recordFailure('10.0.0.1');
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
  });

  it('lets credentials that authenticated recently through from a blocked address, and only those', () => {
    const { clock, limiter } = limiterAt();
    limiter.recordSuccess('good');
    for (let i = 0; i < 5; i++) limiter.recordFailure('10.0.0.1');
    expect(limiter.retryAfterSeconds('10.0.0.1', 'good')).toBe(0);
    expect(limiter.retryAfterSeconds('10.0.0.1', 'guess')).toBe(60);
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(60);
    // A success does not reset the address's count.
    limiter.recordSuccess('other');
    expect(limiter.retryAfterSeconds('10.0.0.1', 'guess')).toBe(60);
    clock.now += 600_000;
    limiter.recordFailure('10.0.0.1');
    for (let i = 0; i < 3; i++) limiter.recordFailure('10.0.0.1');
    expect(limiter.retryAfterSeconds('10.0.0.1', 'good')).toBe(60);
  });

  it('keeps memory bounded: expired windows go first, then the oldest ones', () => {
    const { clock, limiter } = limiterAt(0, { maxClients: 10, maxKnownGood: 5 });
    for (let i = 0; i < 10; i++) limiter.recordFailure(`10.0.0.${i}`);
    clock.now += 60_000;
    limiter.recordFailure('10.0.1.1');
    expect(limiter.size.clients).toBe(1);
    for (let i = 0; i < 3; i++) limiter.recordFailure('10.0.1.1');
    for (let i = 0; i < 50; i++) {
      clock.now += 1;
      limiter.recordFailure(`10.0.2.${i}`);
    }
    expect(limiter.size.clients).toBe(10);
    // 10.0.1.1 was the oldest and had to go: memory wins over one address's count.
    expect(limiter.retryAfterSeconds('10.0.1.1')).toBe(0);
    for (let i = 0; i < 20; i++) limiter.recordSuccess(`token-${i}`);
    expect(limiter.size.knownGood).toBe(5);
    for (let i = 0; i < 3; i++) limiter.recordFailure('10.0.3.1');
    expect(limiter.retryAfterSeconds('10.0.3.1', 'token-19')).toBe(0);
    expect(limiter.retryAfterSeconds('10.0.3.1', 'token-0')).toBe(60);
  });
});
