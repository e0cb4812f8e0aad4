import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Tenant } from '../domain/tenant';

/** How long a found tenant is trusted without asking the database again. */
export const TENANT_CACHE_TTL_MS = 10_000;
const MAX_CACHED = 10_000;

/**
 * Finds the tenant a token hash belongs to. Found tenants are kept for TENANT_CACHE_TTL_MS, so a
 * busy client costs no query per request; concurrent lookups of one hash share one query. Misses
 * are never kept (the failed-authentication limit deals with those), so a new tenant works at once;
 * a tenant row deleted by an operator stops working within the TTL on every instance.
 */
@Injectable()
export class TenantTokens {
  private readonly found = new Map<string, { tenant: Tenant; until: number }>();
  private readonly asking = new Map<string, Promise<Tenant | undefined>>();

  constructor(private readonly dataSource: DataSource) {}

  async find(tokenHash: string, now = Date.now()): Promise<Tenant | undefined> {
    const cached = this.found.get(tokenHash);
    if (cached && cached.until > now) return cached.tenant;
    this.found.delete(tokenHash);
    return this.asking.get(tokenHash) ?? this.ask(tokenHash, now);
  }

  private ask(tokenHash: string, now: number): Promise<Tenant | undefined> {
    const query = (async () => {
      const [row] = await this.dataSource.query('SELECT id, name FROM tenants WHERE token_hash = $1', [tokenHash]);
      if (!row) return undefined;
      const tenant: Tenant = { id: row.id, name: row.name };
      // Map order is insertion order: the oldest entry goes first when full.
      if (this.found.size >= MAX_CACHED) this.found.delete(this.found.keys().next().value!);
      this.found.set(tokenHash, { tenant, until: now + TENANT_CACHE_TTL_MS });
      return tenant;
    })().finally(() => this.asking.delete(tokenHash));
    this.asking.set(tokenHash, query);
    return query;
  }
}
