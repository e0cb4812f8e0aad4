import type { EntityManager } from 'typeorm';
import type { CancelTombstones } from '../application/ports/cancel-tombstones.port';

/** Advisory-lock key space of job ids (two-key form, so it never meets the outbox relay's one-key lock). */
const JOB_ID_LOCKS = 7_301;

/** `CancelTombstones` in the orchestrator's database (table cancel_tombstones; job-id locks are advisory locks). */
export class SqlCancelTombstones implements CancelTombstones {
  constructor(private readonly manager: EntityManager) {}

  async lockIds(ids: string[]): Promise<void> {
    const hashes: Array<{ h: number }> = await this.manager.query('SELECT DISTINCT hashtext(id) AS h FROM unnest($1::text[]) AS id ORDER BY h', [ids]);
    for (const { h } of hashes) await this.manager.query('SELECT pg_advisory_xact_lock($1, $2)', [JOB_ID_LOCKS, h]);
  }

  async record(tenantId: string, jobId: string, reason: string): Promise<void> {
    await this.manager.query('INSERT INTO cancel_tombstones (tenant_id, job_id, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tenantId, jobId, reason]);
  }

  async take(tenantId: string, jobIds: string[]): Promise<string | null> {
    // TypeORM answers a DELETE with [rows, count].
    const [rows]: [Array<{ reason: string }>, number] = await this.manager.query(
      'DELETE FROM cancel_tombstones WHERE tenant_id = $1 AND job_id = ANY($2::text[]) RETURNING reason',
      [tenantId, jobIds],
    );
    return rows[0]?.reason ?? null;
  }

  async purge(olderThanHours: number): Promise<number> {
    const [, count] = await this.manager.query(`DELETE FROM cancel_tombstones WHERE created_at < now() - $1 * interval '1 hour'`, [olderThanHours]);
    return count as number;
  }
}
