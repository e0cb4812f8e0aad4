import { Injectable } from '@nestjs/common';
import { TransactionScope } from '@vrs/service-kit';
import type { IdempotencyKeys, StoredResponse } from '../application/ports/idempotency-keys.port';

/** `IdempotencyKeys` in the gateway's database: rows past `expires_at` count as absent. */
@Injectable()
export class SqlIdempotencyKeys implements IdempotencyKeys {
  constructor(private readonly scope: TransactionScope) {}

  private get manager() {
    return this.scope.manager;
  }

  async claim(tenantId: string, key: string, requestHash: string, ttlHours: number): Promise<StoredResponse | null> {
    const taken = await this.manager.query(
      `INSERT INTO idempotency_keys (tenant_id, key, request_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))
       ON CONFLICT (tenant_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = NULL, response = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= now()
       RETURNING key`,
      [tenantId, key, requestHash, ttlHours],
    );
    if (taken.length > 0) return null;
    const [row] = await this.manager.query('SELECT request_hash, status, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2', [tenantId, key]);
    // Only a concurrent delete of the expired row between the two statements gets here.
    if (!row) throw new Error(`idempotency key vanished while being claimed; retry`);
    return { requestHash: row.request_hash, status: row.status, response: row.response };
  }

  async complete(tenantId: string, key: string, status: number, response: string): Promise<void> {
    await this.manager.query('UPDATE idempotency_keys SET status = $3, response = $4 WHERE tenant_id = $1 AND key = $2', [tenantId, key, status, response]);
  }

  async deleteExpired(limit: number): Promise<number> {
    const rows = await this.manager.query(
      `DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT $1) RETURNING 1`,
      [limit],
    );
    return rows.length;
  }
}
