import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { TENANTS, type Tenants } from '../application/ports/tenants.port';
import { hashToken, type Tenant } from '../domain/tenant';
import { AuthFailureGate } from './auth-failure-gate';

type TenantRequest = Request & { tenant?: Tenant };

/** Resolves `Authorization: Bearer <token>` to its tenant; every tenant route sits behind it. */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(
    @Inject(TENANTS) private readonly tenants: Tenants,
    private readonly gate: AuthFailureGate,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const token = /^Bearer\s+(\S{8,512})$/i.exec(req.header('authorization') ?? '')?.[1];
    req.tenant = await this.gate.authenticate(req, token, (given) => this.tenants.findByTokenHash(hashToken(given)));
    return true;
  }
}

export const CurrentTenant = createParamDecorator(
  (_: unknown, context: ExecutionContext): Tenant => context.switchToHttp().getRequest<TenantRequest>().tenant!,
);
