import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AuthFailureGate } from './auth-failure-gate';
import { hashToken, type Tenant } from './tenant';

type TenantRequest = Request & { tenant?: Tenant };

/** Resolves `Authorization: Bearer <token>` to its tenant; every tenant route sits behind it. */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(private readonly dataSource: DataSource, private readonly gate: AuthFailureGate) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const token = /^Bearer\s+(\S{8,512})$/i.exec(req.header('authorization') ?? '')?.[1];
    req.tenant = await this.gate.authenticate(req, token, async (given) => {
      const [row] = await this.dataSource.query('SELECT id, name FROM tenants WHERE token_hash = $1', [hashToken(given)]);
      return row ? { id: row.id, name: row.name } : undefined;
    });
    return true;
  }
}

export const CurrentTenant = createParamDecorator((_: unknown, context: ExecutionContext): Tenant =>
  context.switchToHttp().getRequest<TenantRequest>().tenant!);
