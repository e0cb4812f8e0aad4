import { Injectable } from '@nestjs/common';
import type { JobStatus, JobStatusChanged } from '@vrs/contracts';
import { TransactionScope } from '@vrs/service-kit';
import type { BatchSummary, JobRecord, JobViews, ListQuery, NewJobView } from '../application/ports/job-views.port';

const fromRow = (row: any): JobRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  parentId: row.parent_id,
  type: row.type,
  status: row.status,
  progress: row.progress,
  outputKey: row.output_key,
  uploadedUrl: row.uploaded_url,
  children: row.children,
  stats: row.stats,
  warnings: row.warnings ?? null,
  posterKey: row.poster_key ?? null,
  thumbnailsKey: row.thumbnails_key ?? null,
  overlapSec: row.overlap_sec ?? null,
});

/** `JobViews` in the gateway's database (tables job_views, job_log_lines, batches). */
@Injectable()
export class SqlJobViews implements JobViews {
  constructor(private readonly scope: TransactionScope) {}

  private get manager() {
    return this.scope.manager;
  }

  /** The views and their first log lines in one statement (one round trip). */
  async insertQueued(jobs: NewJobView[], now: Date): Promise<void> {
    if (jobs.length === 0) return;
    const at = now.toISOString();
    const stats = JSON.stringify({ createdAt: at, updatedAt: at, startedAt: null, finishedAt: null, errorAt: null, error: null });
    await this.manager.query(
      `WITH views AS (
         INSERT INTO job_views (id, tenant_id, type, status, output_key, stats, created_at, updated_at, batch_id)
         SELECT id, tenant_id, type, 'queued', output_key, $5::jsonb, $6, $6, batch_id
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $7::text[]) AS j(id, tenant_id, type, output_key, batch_id))
       INSERT INTO job_log_lines (job_id, at, line) SELECT job_id, $6, 'accepted by the API' FROM unnest($1::text[]) WITH ORDINALITY AS j(job_id, n) ORDER BY n`,
      [
        jobs.map((j) => j.id),
        jobs.map((j) => j.tenantId),
        jobs.map((j) => j.type),
        jobs.map((j) => j.outputKey),
        stats,
        at,
        jobs.map((j) => j.batchId ?? null),
      ],
    );
  }

  /**
   * In one statement: per job the newest of `events` (by sequence) unless a newer one is there already
   * (events may arrive out of order), and every event's log line, in the order given.
   */
  async applyAll(events: JobStatusChanged[]): Promise<void> {
    if (events.length === 0) return;
    const views = events.map((event) => ({
      id: event.jobId,
      tenant_id: event.tenantId,
      parent_id: event.parentId,
      type: event.type,
      status: event.status,
      progress: Math.round(event.progress),
      sequence: event.sequence,
      output_key: event.outputKey,
      uploaded_url: event.uploadedUrl,
      children: event.children.map(({ id, status, outputKey }) => ({ id, status, outputKey })),
      stats: event.stats,
      created_at: event.stats.createdAt,
      updated_at: event.stats.updatedAt,
      warnings: event.warnings ?? null,
      poster_key: event.posterKey ?? null,
      thumbnails_key: event.thumbnailsKey ?? null,
      overlap_sec: event.overlapSec ?? null,
    }));
    await this.manager.query(
      `WITH newest AS (
         SELECT DISTINCT ON (id) * FROM jsonb_to_recordset($1::jsonb) AS e(id text, tenant_id text, parent_id text, type text, status text, progress int,
           sequence int, output_key text, uploaded_url text, children jsonb, stats jsonb, created_at timestamptz, updated_at timestamptz, warnings jsonb,
           poster_key text, thumbnails_key text, overlap_sec double precision)
         ORDER BY id, sequence DESC),
       applied AS (
         INSERT INTO job_views (id, tenant_id, parent_id, type, status, progress, sequence, output_key, uploaded_url, children, stats, created_at, updated_at,
           warnings, poster_key, thumbnails_key, overlap_sec)
         SELECT id, tenant_id, parent_id, type, status, progress, sequence, output_key, uploaded_url, children, stats, created_at, updated_at,
           warnings, poster_key, thumbnails_key, overlap_sec FROM newest
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, progress = EXCLUDED.progress, sequence = EXCLUDED.sequence,
           uploaded_url = EXCLUDED.uploaded_url, children = EXCLUDED.children, stats = EXCLUDED.stats, updated_at = EXCLUDED.updated_at,
           warnings = EXCLUDED.warnings, poster_key = EXCLUDED.poster_key, thumbnails_key = EXCLUDED.thumbnails_key, overlap_sec = EXCLUDED.overlap_sec
         WHERE job_views.sequence < EXCLUDED.sequence)
       INSERT INTO job_log_lines (job_id, at, line)
       SELECT job_id, at, line FROM unnest($2::text[], $3::timestamptz[], $4::text[]) WITH ORDINALITY AS l(job_id, at, line, n) ORDER BY n`,
      [
        JSON.stringify(views),
        events.map((event) => event.jobId),
        events.map((event) => event.occurredAt),
        events.map((event) => `[${event.status}] ${event.logLine}`),
      ],
    );
  }

  async get(tenantId: string, id: string): Promise<JobRecord | null> {
    const [row] = await this.manager.query('SELECT * FROM job_views WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return row ? fromRow(row) : null;
  }

  async statuses(tenantId: string, ids: string[]): Promise<Map<string, JobStatus>> {
    const rows: Array<{ id: string; status: JobStatus }> = await this.manager.query(
      'SELECT id, status FROM job_views WHERE id = ANY($1::text[]) AND tenant_id = $2',
      [ids, tenantId],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  async list(query: ListQuery): Promise<JobRecord[]> {
    const params: unknown[] = [query.tenantId];
    const where = ['tenant_id = $1'];
    if (query.states?.length) where.push(`status = ANY($${params.push(query.states)})`);
    if (query.from) where.push(`created_at ${query.sort === 'asc' ? '>=' : '<='} $${params.push(query.from)}`);
    const rows = await this.manager.query(
      `SELECT * FROM job_views WHERE ${where.join(' AND ')} ORDER BY created_at ${query.sort === 'asc' ? 'ASC' : 'DESC'}, id LIMIT $${params.push(query.limit)}`,
      params,
    );
    return rows.map(fromRow);
  }

  async insertBatch(id: string, tenantId: string): Promise<void> {
    await this.manager.query('INSERT INTO batches (id, tenant_id) VALUES ($1, $2)', [id, tenantId]);
  }

  async batches(tenantId: string, query: { limit: number; batchId?: string }): Promise<BatchSummary[]> {
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
        LIMIT $${params.push(query.limit)}`,
      params,
    );
    return rows.map((row: any) => ({
      id: row.id,
      createdAt: new Date(row.created_at).toISOString(),
      stats: { total: row.total, finished: row.finished, error: row.error, pending: row.total - row.finished - row.error },
    }));
  }

  async logLines(jobId: string): Promise<{ at: Date; line: string }[]> {
    return this.manager.query('SELECT at, line FROM job_log_lines WHERE job_id = $1 ORDER BY id', [jobId]);
  }
}
