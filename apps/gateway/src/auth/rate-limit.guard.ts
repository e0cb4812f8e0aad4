import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { GatewayConfig } from '../config';
import type { Tenant } from '../domain/tenant';
import { ApiError } from '../http/api-error';
import { GATEWAY_CONFIG } from '../tokens';

/** A fixed one-minute window per tenant on this instance: enough to stop a runaway client. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const tenant = context.switchToHttp().getRequest<Request & { tenant?: Tenant }>().tenant;
    if (!tenant) return true;
    const now = Date.now();
    const window = this.windows.get(tenant.id);
    if (!window || now - window.startedAt >= 60_000) {
      this.windows.set(tenant.id, { startedAt: now, count: 1 });
      return true;
    }
    window.count += 1;
    if (window.count <= this.config.RATE_LIMIT_PER_MINUTE) return true;
    const retryAfter = Math.ceil((window.startedAt + 60_000 - now) / 1000);
    throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, `Too many requests; retry in ${retryAfter} s.`, undefined, { 'Retry-After': String(retryAfter) });
  }
}
