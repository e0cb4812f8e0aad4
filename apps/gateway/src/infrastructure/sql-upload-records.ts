import { Injectable } from '@nestjs/common';
import { TransactionScope } from '@vrs/service-kit';
import type { UploadRecords } from '../application/ports/upload-records.port';
import { RECEIVE_LEASE_MS, type UploadRecord } from '../domain/uploads';

const fromRow = (row: any): UploadRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  filename: row.filename,
  contentType: row.content_type,
  size: Number(row.size),
  state: row.state,
  expiresAt: new Date(row.expires_at),
});

/** `UploadRecords` in the gateway's database (table uploads). */
@Injectable()
export class SqlUploadRecords implements UploadRecords {
  constructor(private readonly scope: TransactionScope) {}

  private get manager() {
    return this.scope.manager;
  }

  async insert(upload: UploadRecord): Promise<void> {
    await this.manager.query('INSERT INTO uploads (id, tenant_id, filename, content_type, size, state, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      upload.id,
      upload.tenantId,
      upload.filename,
      upload.contentType,
      upload.size,
      upload.state,
      upload.expiresAt,
    ]);
  }

  async find(id: string): Promise<UploadRecord | undefined> {
    const [row] = await this.manager.query('SELECT * FROM uploads WHERE id = $1', [id]);
    return row ? fromRow(row) : undefined;
  }

  async findForTenant(tenantId: string, ids: string[]): Promise<UploadRecord[]> {
    const rows = await this.manager.query('SELECT * FROM uploads WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, ids]);
    return rows.map(fromRow);
  }

  async claim(id: string, owner: string, now: Date): Promise<UploadRecord | undefined> {
    const [rows] = await this.manager.query(
      `UPDATE uploads SET state = 'receiving', lease_owner = $2, lease_until = $3
       WHERE id = $1 AND expires_at > $4 AND (state = 'pending' OR (state = 'receiving' AND lease_until < $4)) RETURNING *`,
      [id, owner, new Date(now.getTime() + RECEIVE_LEASE_MS), now],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async renew(id: string, owner: string, now: Date): Promise<boolean> {
    const [, updated] = await this.manager.query("UPDATE uploads SET lease_until = $3 WHERE id = $1 AND lease_owner = $2 AND state = 'receiving'", [
      id,
      owner,
      new Date(now.getTime() + RECEIVE_LEASE_MS),
    ]);
    return updated > 0;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.manager.query(
      "UPDATE uploads SET state = 'pending', lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'receiving'",
      [id, owner],
    );
  }

  async complete(id: string, owner: string, now: Date): Promise<boolean> {
    const [, updated] = await this.manager.query(
      "UPDATE uploads SET state = 'complete', completed_at = $3, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'receiving'",
      [id, owner, now],
    );
    return updated > 0;
  }

  async expired(now: Date, limit: number): Promise<UploadRecord[]> {
    const rows = await this.manager.query('SELECT * FROM uploads WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2', [now, limit]);
    return rows.map(fromRow);
  }

  async delete(id: string): Promise<void> {
    await this.manager.query('DELETE FROM uploads WHERE id = $1', [id]);
  }
}
