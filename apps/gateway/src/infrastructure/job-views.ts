import type { EntityManager } from 'typeorm';
import type { JobStatus, JobStatusChanged } from '@vrs/contracts';

export interface JobView {
  id: string;
  tenantId: string;
  parentId: string | null;
  type: 'join' | 'render';
  status: JobStatus;
  progress: number;
  outputKey: string;
  uploadedUrl: string | null;
  children: { id: string; status: JobStatus; outputKey: string }[];
  stats: JobStatusChanged['stats'];
  warnings: string[] | null;
  posterKey: string | null;
  thumbnailsKey: string | null;
  overlapSec: number | null;
}

const fromRow = (row: any): JobView => ({
  id: row.id, tenantId: row.tenant_id, parentId: row.parent_id, type: row.type, status: row.status, progress: row.progress,
  outputKey: row.output_key, uploadedUrl: row.uploaded_url, children: row.children, stats: row.stats,
  warnings: row.warnings ?? null, posterKey: row.poster_key ?? null, thumbnailsKey: row.thumbnails_key ?? null, overlapSec: row.overlap_sec ?? null,
});

export interface NewJobView { id: string; tenantId: string; type: 'join' | 'render'; outputKey: string; batchId?: string }

export interface BatchStats { total: number; finished: number; error: number; pending: number }
export interface BatchView { id: string; createdAt: string; stats: BatchStats }

/** `processing` while any job runs; then `error` if any ended in error or was cancelled, else `finished`. */
export const batchStatus = (stats: BatchStats) => (stats.pending > 0 ? 'processing' : stats.error > 0 ? 'error' : 'finished');

export interface ListQuery { tenantId: string; states?: JobStatus[]; limit: number; from?: string; sort: 'asc' | 'desc' }

/** The gateway's read model of jobs: written at submit time, then kept up by job.status-changed. */
export class JobViews {
  constructor(private readonly manager: EntityManager) {}

  /** Records newly accepted jobs (one INSERT for the views, one for their first log line), queued at `now`. */
  async insertQueued(jobs: NewJobView[], now: Date): Promise<void> {
    if (jobs.length === 0) return;
    const at = now.toISOString();
    const stats = JSON.stringify({ createdAt: at, updatedAt: at, startedAt: null, finishedAt: null, errorAt: null, error: null });
    await this.manager.query(
      `INSERT INTO job_views (id, tenant_id, type, status, output_key, stats, created_at, updated_at, batch_id)
       SELECT id, tenant_id, type, 'queued', output_key, $5::jsonb, $6, $6, batch_id
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $7::text[]) AS j(id, tenant_id, type, output_key, batch_id)`,
      [jobs.map((j) => j.id), jobs.map((j) => j.tenantId), jobs.map((j) => j.type), jobs.map((j) => j.outputKey), stats, at, jobs.map((j) => j.batchId ?? null)]);
    await this.manager.query(
      `INSERT INTO job_log_lines (job_id, at, line) SELECT job_id, $2, 'accepted by the API' FROM unnest($1::text[]) WITH ORDINALITY AS j(job_id, n) ORDER BY n`,
      [jobs.map((j) => j.id), at]);
  }

  /** Applies a status event unless a newer one was applied already (events may arrive out of order). */
  async apply(event: JobStatusChanged): Promise<boolean> {
    const rows = await this.manager.query(
      `INSERT INTO job_views (id, tenant_id, parent_id, type, status, progress, sequence, output_key, uploaded_url, children, stats, created_at, updated_at, warnings,
         poster_key, thumbnails_key, overlap_sec)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, progress = EXCLUDED.progress, sequence = EXCLUDED.sequence,
         uploaded_url = EXCLUDED.uploaded_url, children = EXCLUDED.children, stats = EXCLUDED.stats, updated_at = EXCLUDED.updated_at,
         warnings = EXCLUDED.warnings, poster_key = EXCLUDED.poster_key, thumbnails_key = EXCLUDED.thumbnails_key, overlap_sec = EXCLUDED.overlap_sec
       WHERE job_views.sequence < EXCLUDED.sequence
       RETURNING id`,
      [event.jobId, event.tenantId, event.parentId, event.type, event.status, Math.round(event.progress), event.sequence, event.outputKey,
        event.uploadedUrl, JSON.stringify(event.children.map(({ id, status, outputKey }) => ({ id, status, outputKey }))), JSON.stringify(event.stats), event.stats.createdAt, event.stats.updatedAt,
        event.warnings ? JSON.stringify(event.warnings) : null, event.posterKey ?? null, event.thumbnailsKey ?? null, event.overlapSec ?? null]);
    await this.appendLog(event.jobId, new Date(event.occurredAt), `[${event.status}] ${event.logLine}`);
    return rows.length > 0;
  }

  async get(tenantId: string, id: string): Promise<JobView | null> {
    const [row] = await this.manager.query('SELECT * FROM job_views WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return row ? fromRow(row) : null;
  }

  /** The status of each of the tenant's jobs among `ids` (other tenants' and unknown ids are absent). */
  async statuses(tenantId: string, ids: string[]): Promise<Map<string, JobStatus>> {
    const rows: Array<{ id: string; status: JobStatus }> = await this.manager.query('SELECT id, status FROM job_views WHERE id = ANY($1::text[]) AND tenant_id = $2', [ids, tenantId]);
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  async list(query: ListQuery): Promise<JobView[]> {
    const params: unknown[] = [query.tenantId];
    const where = ['tenant_id = $1'];
    if (query.states?.length) where.push(`status = ANY($${params.push(query.states)})`);
    if (query.from) where.push(`created_at ${query.sort === 'asc' ? '>=' : '<='} $${params.push(query.from)}`);
    const rows = await this.manager.query(
      `SELECT * FROM job_views WHERE ${where.join(' AND ')} ORDER BY created_at ${query.sort === 'asc' ? 'ASC' : 'DESC'}, id LIMIT $${params.push(query.limit)}`, params);
    return rows.map(fromRow);
  }

  async insertBatch(id: string, tenantId: string): Promise<void> {
    await this.manager.query('INSERT INTO batches (id, tenant_id) VALUES ($1, $2)', [id, tenantId]);
  }

  /** Counts of a batch's jobs by outcome; null when the batch is not the tenant's. */
  async batchStats(tenantId: string, batchId: string): Promise<BatchStats | null> {
    const [batch] = await this.batches(tenantId, { batchId, limit: 1 });
    return batch?.stats ?? null;
  }

  /** The tenant's batches, newest first, each with the counts of its jobs by outcome. */
  async batches(tenantId: string, query: { limit: number; batchId?: string }): Promise<BatchView[]> {
    const params: unknown[] = [tenantId];
    const onlyOne = query.batchId ? `AND b.id = $${params.push(query.batchId)}` : '';
    const rows = await this.manager.query(
      `SELECT b.id, b.created_at,
              count(j.id)::int AS total,
              count(j.id) FILTER (WHERE j.status = 'finished')::int AS finished,
              count(j.id) FILTER (WHERE j.status IN ('error', 'manually_cancelled'))::int AS error
         FROM batches b LEFT JOIN job_views j ON j.batch_id = b.id AND j.tenant_id = b.tenant_id
        WHERE b.tenant_id = $1 ${onlyOne}
        GROUP BY b.id, b.created_at
        ORDER BY b.created_at DESC, b.id
        LIMIT $${params.push(query.limit)}`, params);
    return rows.map((row: any) => ({
      id: row.id,
      createdAt: new Date(row.created_at).toISOString(),
      stats: { total: row.total, finished: row.finished, error: row.error, pending: row.total - row.finished - row.error },
    }));
  }

  async logLines(jobId: string): Promise<{ at: Date; line: string }[]> {
    return this.manager.query('SELECT at, line FROM job_log_lines WHERE job_id = $1 ORDER BY id', [jobId]);
  }

  private async appendLog(jobId: string, at: Date, line: string): Promise<void> {
    await this.manager.query('INSERT INTO job_log_lines (job_id, at, line) VALUES ($1, $2, $3)', [jobId, at, line]);
  }
}
