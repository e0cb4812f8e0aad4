import { Injectable } from '@nestjs/common';
import { TransactionScope } from '@vrs/service-kit';
import type { StoredTemplate, Templates } from '../application/ports/templates.port';

const fromRow = (row: any): StoredTemplate => ({ id: row.id, tenantId: row.tenant_id, name: row.name, body: row.body, createdAt: new Date(row.created_at) });

/** `Templates` in the gateway's database (table templates). */
@Injectable()
export class SqlTemplates implements Templates {
  constructor(private readonly scope: TransactionScope) {}

  private get manager() {
    return this.scope.manager;
  }

  async create(template: StoredTemplate): Promise<void> {
    await this.manager.query('INSERT INTO templates (id, tenant_id, name, body, created_at) VALUES ($1, $2, $3, $4, $5)', [
      template.id,
      template.tenantId,
      template.name,
      JSON.stringify(template.body),
      template.createdAt,
    ]);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    // For a DELETE, TypeORM answers [rows, affected count].
    const [, deleted] = await this.manager.query('DELETE FROM templates WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return deleted > 0;
  }

  async get(tenantId: string, id: string): Promise<StoredTemplate | null> {
    const [row] = await this.manager.query('SELECT * FROM templates WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return row ? fromRow(row) : null;
  }

  async list(tenantId: string, limit: number): Promise<StoredTemplate[]> {
    const rows = await this.manager.query('SELECT * FROM templates WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2', [tenantId, limit]);
    return rows.map(fromRow);
  }
}
