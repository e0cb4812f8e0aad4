import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { TenantTokens } from '../infrastructure/tenant-tokens';
import { AuthFailureGate } from './auth-failure-gate';
import { hashToken, type Tenant } from './tenant';

type TenantRequest = Request & { tenant?: Tenant };

/** Resolves `Authorization: Bearer <token>` to its tenant; every tenant route sits behind it. */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(private readonly tenants: TenantTokens, private readonly gate: AuthFailureGate) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const token = /^Bearer\s+(\S{8,512})$/i.exec(req.header('authorization') ?? '')?.[1];
    req.tenant = await this.gate.authenticate(req, token, (given) => this.tenants.find(hashToken(given)));
    return true;
  }
}

export const CurrentTenant = createParamDecorator((_: unknown, context: ExecutionContext): Tenant =>
  context.switchToHttp().getRequest<TenantRequest>().tenant!);
