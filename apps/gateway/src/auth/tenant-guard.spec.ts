import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { GatewayConfig } from '../config';
import { hashToken } from '../domain/tenant';
import { inMemoryGateway } from '../testing/in-memory-ports';
import { AuthFailureGate } from './auth-failure-gate';
import { TenantGuard } from './tenant-guard';

const contextFor = (req: Partial<Request>) => ({ switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;
const request = (authorization?: string) =>
  ({ ip: '10.0.0.7', header: (name: string) => (name === 'authorization' ? authorization : undefined) }) as Partial<Request> & { tenant?: unknown };

describe('TenantGuard (in-memory tenants)', () => {
  it('finds the tenant by the hash of its bearer token, and refuses others with 401 and then 429', async () => {
    const gateway = inMemoryGateway();
    await gateway.tenants.create({ id: 't-1', name: 'acme' }, hashToken('vrs_good-token'));
    const guard = new TenantGuard(gateway.tenants, new AuthFailureGate({ AUTH_FAILURE_LIMIT: 2, AUTH_FAILURE_WINDOW_SECONDS: 60 } as GatewayConfig));

    const good = request('Bearer vrs_good-token');
    expect(await guard.canActivate(contextFor(good))).toBe(true);
    expect(good.tenant).toEqual({ id: 't-1', name: 'acme' });
    for (const authorization of ['Bearer vrs_guessed-token', undefined]) {
      await expect(guard.canActivate(contextFor(request(authorization)))).rejects.toMatchObject({ status: 401 });
    }
    await expect(guard.canActivate(contextFor(request('Bearer vrs_another-guess')))).rejects.toMatchObject({
      status: 429,
      headers: { 'Retry-After': expect.any(String) },
    });
    // A credential that worked recently still passes from the blocked address.
    expect(await guard.canActivate(contextFor(request('Bearer vrs_good-token')))).toBe(true);
  });
});
