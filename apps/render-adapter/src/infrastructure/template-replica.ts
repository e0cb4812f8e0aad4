import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { logger } from '@vrs/observability';

/** This service's copy of the tenants' templates (the gateway owns the catalogue). */
export class TemplateReplica {
  constructor(private readonly dataSource: DataSource) {}

  static async apply(manager: EntityManager, tenantId: string, id: string, body: Record<string, unknown> | null): Promise<void> {
    if (body === null) {
      await manager.query('DELETE FROM templates WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      return;
    }
    await manager.query('INSERT INTO templates (tenant_id, id, body) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, id) DO UPDATE SET body = EXCLUDED.body',
      [tenantId, id, JSON.stringify(body)]);
  }

  /**
   * The template, waiting up to `waitMs` for it: a template created just before the job travels on
   * another topic and may arrive a moment after the render request.
   */
  async find(tenantId: string, id: string, waitMs: number, signal: AbortSignal): Promise<unknown | undefined> {
    const deadline = Date.now() + waitMs;
    for (let first = true; ; first = false) {
      const [row] = await this.dataSource.query('SELECT body FROM templates WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
      if (row) return row.body;
      if (Date.now() >= deadline) return undefined;
      if (first) logger('template-replica').info('template not replicated yet; waiting for it', { templateId: id, waitMs });
      await sleep(250, undefined, { signal });
    }
  }
}
