import type { ExecutionContext } from '@nestjs/common';
import type { GatewayConfig } from '../config';
import { ApiError } from '../http/api-error';
import { RateLimitGuard } from './rate-limit.guard';

const contextFor = (tenantId: string) =>
  ({
    switchToHttp: () => ({ getRequest: () => ({ tenant: { id: tenantId, name: tenantId } }) }),
  }) as unknown as ExecutionContext;

describe('RateLimitGuard', () => {
  afterEach(() => jest.useRealTimers());

  it('answers 429 with Retry-After past the per-tenant limit, per tenant, until the window ends', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const guard = new RateLimitGuard({ RATE_LIMIT_PER_MINUTE: 3 } as GatewayConfig);
    for (let i = 0; i < 3; i++) expect(guard.canActivate(contextFor('a'))).toBe(true);
    let refused: unknown;
    try {
      guard.canActivate(contextFor('a'));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).getStatus()).toBe(429);
    expect((refused as ApiError).headers['Retry-After']).toBe('60');
    expect(guard.canActivate(contextFor('b'))).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(guard.canActivate(contextFor('a'))).toBe(true);
  });
});
