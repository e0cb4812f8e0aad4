import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { TransactionScope } from '@vrs/service-kit';
import type { TenantReplica } from '../application/ports/tenant-replica.port';

/** `TenantReplica` in the orchestrator's database (table tenants). */
@Injectable()
export class SqlTenantReplica implements TenantReplica {
  constructor(private readonly scope: TransactionScope) {}

  async apply(tenantIds: string[]): Promise<void> {
    await this.scope.manager.query('INSERT INTO tenants (id) SELECT unnest($1::text[]) ON CONFLICT (id) DO NOTHING', [tenantIds]);
  }

  async has(tenantId: string): Promise<boolean> {
    const rows = await this.scope.manager.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    return rows.length > 0;
  }

  async waitFor(tenantId: string, waitMs: number, signal: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 500)) {
      if (await this.has(tenantId)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(delayMs, Math.max(0, deadline - Date.now())), undefined, { signal });
    }
  }
}
