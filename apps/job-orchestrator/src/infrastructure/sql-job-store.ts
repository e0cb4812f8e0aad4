import { In, type EntityManager } from 'typeorm';
import { sealWebhook, TOPICS, type JobStatus } from '@vrs/contracts';
import { enqueueEvent } from '@vrs/messaging';
import { afterCommit } from '@vrs/service-kit';
import type { JobStore } from '../application/ports/job-store.port';
import { deadlineOf, type DeadlineLimits } from '../domain/deadlines';
import { isTerminal, type Job, type Transition } from '../domain/job';
import { countTransition } from './job-metrics';
import { JobEntity } from './job.entity';
import { statusEventKeys, type StatusEventKeys } from './status-event-keys';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * `JobStore` in the orchestrator's database: each change recorded as a `job.status-changed` event in the same
 * transaction (public: the signed outputUrl, nothing secret), plus `job.webhook-requested` (internal, webhook
 * sealed) when a job with a webhook ends. A change of state is counted (vrs_job_transitions_total) once the
 * transaction commits. Every save stores the job's deadline, derived from what it is saved as.
 */
export class SqlJobStore implements JobStore {
  /** The state each job loaded or saved here was last in, to tell a change of state from a change of progress. */
  private readonly states = new Map<string, JobStatus>();

  constructor(
    private readonly manager: EntityManager,
    private readonly limits: DeadlineLimits,
    private readonly keys: StatusEventKeys = statusEventKeys(),
  ) {}

  private withDeadline(job: Job): Job {
    return { ...job, deadlineAt: deadlineOf(job, this.limits) };
  }

  async refreshDeadline(job: Job): Promise<void> {
    await this.manager.query('UPDATE jobs SET deadline_at = $2 WHERE id = $1', [job.id, this.withDeadline(job).deadlineAt]);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.manager.query('SELECT 1 FROM jobs WHERE id = $1', [id])).length > 0;
  }

  async lock(id: string): Promise<Job | null> {
    const job = await this.manager.getRepository(JobEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (job) this.states.set(job.id, job.status);
    return job;
  }

  async lockFamily(id: string): Promise<Map<string, Job>> {
    const rows: Array<{ id: string }> = await this.manager.query(
      // UNION, not UNION ALL: the walk ends even on a parent cycle in bad data. The children of each
      // job are read by a subquery per job, through the parent_id index: as a join, the planner (which
      // takes the walk for 10 rows) scanned the whole table at every step, slower with every job kept.
      `WITH RECURSIVE up AS (SELECT id, parent_id FROM jobs WHERE id = $1
         UNION SELECT j.id, j.parent_id FROM jobs j JOIN up ON j.id = up.parent_id),
       down AS (SELECT id FROM up WHERE parent_id IS NULL
         UNION SELECT unnest(ARRAY(SELECT j.id FROM jobs j WHERE j.parent_id = down.id)) FROM down)
       SELECT id FROM down`,
      [id],
    );
    const jobs = await this.manager.getRepository(JobEntity).find({
      where: { id: In(rows.map((row) => row.id)) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const job of jobs) this.states.set(job.id, job.status);
    return new Map(jobs.map((job) => [job.id, job]));
  }

  async ownerOf(id: string): Promise<string | null> {
    const [row] = await this.manager.query('SELECT tenant_id FROM jobs WHERE id = $1', [id]);
    return row ? row.tenant_id : null;
  }

  async insert(job: Job): Promise<boolean> {
    // jsonb columns defeat TypeORM's deep-partial typing; the entity mirrors Job field for field.
    const result = await this.manager
      .createQueryBuilder()
      .insert()
      .into(JobEntity)
      .values(this.withDeadline(job) as any)
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async dueForDeadline(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.manager.query('SELECT id FROM jobs WHERE deadline_at <= $1 ORDER BY deadline_at LIMIT $2', [now, limit]);
    return rows.map((row) => row.id);
  }

  async boundWaits(): Promise<void> {
    await this.manager.query(`SET LOCAL lock_timeout = '5s'`);
    await this.manager.query(`SET LOCAL statement_timeout = '30s'`);
  }

  async apply(transition: Transition): Promise<void> {
    await this.manager.getRepository(JobEntity).save(this.withDeadline(transition.job));
    await this.publish(transition);
  }

  async publish({ job, logLine }: Transition): Promise<void> {
    if (this.states.get(job.id) !== job.status) {
      this.states.set(job.id, job.status);
      afterCommit(this.manager, () => countTransition(job));
    }
    const urls = this.keys.publicUrls;
    const snapshot = {
      jobId: job.id,
      tenantId: job.tenantId,
      parentId: job.parentId,
      type: job.type,
      status: job.status,
      progress: job.progress,
      sequence: job.sequence,
      outputKey: job.outputKey,
      outputUrl: urls.urlFor(job.outputKey),
      uploadedUrl: job.uploadedUrl,
      children: job.children.map((child) => ({ id: child.id, status: child.status, outputKey: child.outputKey, outputUrl: urls.urlFor(child.outputKey) })),
      stats: {
        createdAt: job.createdAt.toISOString(),
        updatedAt: job.updatedAt.toISOString(),
        startedAt: iso(job.startedAt),
        finishedAt: iso(job.finishedAt),
        errorAt: iso(job.errorAt),
        error: job.error,
      },
      logLine,
      ...(job.warnings.length ? { warnings: job.warnings } : {}),
      ...(job.posterKey ? { posterKey: job.posterKey, posterUrl: urls.urlFor(job.posterKey) } : {}),
      ...(job.thumbnailsKey ? { thumbnailsKey: job.thumbnailsKey, thumbnailsUrl: urls.urlFor(job.thumbnailsKey) } : {}),
      ...(job.overlapSec ? { overlapSec: job.overlapSec } : {}),
    };
    await enqueueEvent(this.manager, TOPICS.jobStatusChanged, job.id, snapshot);
    if (job.webhook && isTerminal(job)) {
      await enqueueEvent(this.manager, TOPICS.jobWebhookRequested, job.id, { ...snapshot, webhook: sealWebhook(job.webhook, this.keys.sealKey) });
    }
  }
}
