import { Injectable } from '@nestjs/common';
import { TransactionScope } from '@vrs/service-kit';
import type { Tenants } from '../application/ports/tenants.port';
import type { Tenant } from '../domain/tenant';
import { TenantTokens } from './tenant-tokens';

/** `Tenants` in the gateway's database (table tenants); token lookups go through the short-lived cache. */
@Injectable()
export class SqlTenants implements Tenants {
  constructor(
    private readonly scope: TransactionScope,
    private readonly tokens: TenantTokens,
  ) {}

  async create(tenant: Tenant, tokenHash: string): Promise<void> {
    await this.scope.manager.query('INSERT INTO tenants (id, name, token_hash) VALUES ($1, $2, $3)', [tenant.id, tenant.name, tokenHash]);
  }

  findByTokenHash(tokenHash: string): Promise<Tenant | undefined> {
    return this.tokens.find(tokenHash);
  }

  async allIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.scope.manager.query('SELECT id FROM tenants ORDER BY created_at, id');
    return rows.map((row) => row.id);
  }
}
