import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { logger } from '@vrs/observability';
import { TransactionScope } from '@vrs/service-kit';
import type { TemplateReplica } from '../application/ports/template-replica.port';

/** The replica in this service's database (table `templates`). */
@Injectable()
export class SqlTemplateReplica implements TemplateReplica {
  constructor(private readonly scope: TransactionScope) {}

  async apply(tenantId: string, id: string, body: Record<string, unknown> | null): Promise<void> {
    if (body === null) {
      await this.scope.manager.query('DELETE FROM templates WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      return;
    }
    await this.scope.manager.query(
      'INSERT INTO templates (tenant_id, id, body) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, id) DO UPDATE SET body = EXCLUDED.body',
      [tenantId, id, JSON.stringify(body)],
    );
  }

  async find(tenantId: string, id: string, waitMs: number, signal: AbortSignal): Promise<unknown | undefined> {
    const deadline = Date.now() + waitMs;
    for (let first = true; ; first = false) {
      const [row] = await this.scope.manager.query('SELECT body FROM templates WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (row) return row.body;
      if (Date.now() >= deadline) return undefined;
      if (first) logger('template-replica').info('template not replicated yet; waiting for it', { templateId: id, waitMs });
      await sleep(250, undefined, { signal });
    }
  }
}
