import { In, type EntityManager } from 'typeorm';
import { TOPICS } from '@vrs/contracts';
import { enqueueEvent } from '@vrs/messaging';
import { deadlineOf, type DeadlineLimits } from '../domain/deadlines';
import type { Job, Transition } from '../domain/job';
import { JobEntity } from './job.entity';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Loads, locks and saves jobs, and records each change as a `job.status-changed` event in the same
 * transaction. Every save stores the job's deadline, derived from what it is saved as.
 */
export class JobStore {
  constructor(private readonly manager: EntityManager, private readonly limits: DeadlineLimits) {}

  private withDeadline(job: Job): Job {
    return { ...job, deadlineAt: deadlineOf(job, this.limits) };
  }

  /** Stores the deadline the job has under the current limits (they may have changed since it was saved). */
  async refreshDeadline(job: Job): Promise<void> {
    await this.manager.query('UPDATE jobs SET deadline_at = $2 WHERE id = $1', [job.id, this.withDeadline(job).deadlineAt]);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.manager.query('SELECT 1 FROM jobs WHERE id = $1', [id])).length > 0;
  }

  /** The job, locked until the transaction ends so concurrent events for it apply one at a time. */
  lock(id: string): Promise<Job | null> {
    return this.manager.getRepository(JobEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * The job's whole family (its root and every descendant), locked in id order. Every event about a
   * job in a family takes this lock first, so a parent's children settle one at a time (the join barrier).
   */
  async lockFamily(id: string): Promise<Map<string, Job>> {
    const rows: Array<{ id: string }> = await this.manager.query(
      // UNION, not UNION ALL: the walk ends even on a parent cycle in bad data.
      `WITH RECURSIVE up AS (SELECT id, parent_id FROM jobs WHERE id = $1
         UNION SELECT j.id, j.parent_id FROM jobs j JOIN up ON j.id = up.parent_id),
       down AS (SELECT id FROM up WHERE parent_id IS NULL
         UNION SELECT j.id FROM jobs j JOIN down ON j.parent_id = down.id)
       SELECT id FROM down`, [id]);
    const jobs = await this.manager.getRepository(JobEntity).find({
      where: { id: In(rows.map((row) => row.id)) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' },
    });
    return new Map(jobs.map((job) => [job.id, job]));
  }

  /** Inserts a new job; false when one with that id exists already (the same id twice is one job). */
  async insert(job: Job): Promise<boolean> {
    // jsonb columns defeat TypeORM's deep-partial typing; the entity mirrors Job field for field.
    const result = await this.manager.createQueryBuilder().insert().into(JobEntity).values(this.withDeadline(job) as any).orIgnore().returning('id').execute();
    return (result.raw as unknown[]).length > 0;
  }

  async apply(transition: Transition): Promise<void> {
    await this.manager.getRepository(JobEntity).save(this.withDeadline(transition.job));
    await this.publish(transition);
  }

  async publish({ job, logLine }: Transition): Promise<void> {
    await enqueueEvent(this.manager, TOPICS.jobStatusChanged, job.id, {
      jobId: job.id,
      tenantId: job.tenantId,
      parentId: job.parentId,
      type: job.type,
      status: job.status,
      progress: job.progress,
      sequence: job.sequence,
      outputKey: job.outputKey,
      uploadedUrl: job.uploadedUrl,
      children: job.children.map((child) => ({ id: child.id, status: child.status, outputKey: child.outputKey })),
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
      ...(job.webhook && ['finished', 'error', 'manually_cancelled'].includes(job.status) ? { webhook: job.webhook } : {}),
    });
  }
}
