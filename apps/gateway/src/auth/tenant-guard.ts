import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ApiError } from '../http/api-error';
import { hashToken, type Tenant } from './tenant';

type TenantRequest = Request & { tenant?: Tenant };

/** Resolves `Authorization: Bearer <token>` to its tenant; every tenant route sits behind it. */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(private readonly dataSource: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const match = /^Bearer\s+(\S{8,512})$/i.exec(req.header('authorization') ?? '');
    if (!match) throw ApiError.unauthorized();
    const [row] = await this.dataSource.query('SELECT id, name FROM tenants WHERE token_hash = $1', [hashToken(match[1])]);
    if (!row) throw ApiError.unauthorized();
    req.tenant = { id: row.id, name: row.name };
    return true;
  }
}

export const CurrentTenant = createParamDecorator((_: unknown, context: ExecutionContext): Tenant =>
  context.switchToHttp().getRequest<TenantRequest>().tenant!);
