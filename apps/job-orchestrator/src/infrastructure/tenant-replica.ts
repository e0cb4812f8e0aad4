import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';

/** This service's copy of the tenants that exist (the gateway owns them and publishes tenant.changed). */
export class TenantReplica {
  constructor(private readonly dataSource: DataSource) {}

  /** Idempotent: the gateway republishes every tenant when it starts. */
  static async apply(manager: EntityManager, tenantIds: string[]): Promise<void> {
    await manager.query('INSERT INTO tenants (id) SELECT unnest($1::text[]) ON CONFLICT (id) DO NOTHING', [tenantIds]);
  }

  async has(tenantId: string): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    return rows.length > 0;
  }

  /**
   * Whether the tenant exists, waiting up to `waitMs` for it: a tenant created just before its first
   * job travels on another topic and may arrive a moment after the job request.
   */
  async waitFor(tenantId: string, waitMs: number, signal: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 500)) {
      if (await this.has(tenantId)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(delayMs, Math.max(0, deadline - Date.now())), undefined, { signal });
    }
  }
}
