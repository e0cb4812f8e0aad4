import { Inject, Injectable } from '@nestjs/common';
import { logger, withLogContext } from '@vrs/observability';
import { TRANSACTIONS, type Transactions } from '@vrs/service-kit';
import { DEADLINE_METRICS, type DeadlineMetrics } from '../../application/ports/deadline-metrics.port';
import { JOB_FLOWS, type JobFlows } from '../../application/ports/job-flows.port';
import type { ReconcilerSettings } from '../../config';
import { onDeadline } from '../../domain/deadlines';
import { RECONCILER_SETTINGS } from '../../tokens';

/** Jobs looked at per pass; the rest wait for the next one. */
const BATCH = 200;

export interface ReconcileResult {
  redriven: number;
  expired: number;
}

/**
 * One pass over the jobs whose deadline has passed: each is re-driven (its work request sent again,
 * same event id) or ended in error, in its own transaction under its family's lock. Several
 * instances may run passes at once: the deadline is checked again under the lock, so whichever
 * gets a job first acts and the others find it moved on.
 */
@Injectable()
export class ReconcileDeadlinesHandler {
  private readonly log = logger('reconcile-deadlines');

  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(JOB_FLOWS) private readonly flows: JobFlows,
    @Inject(DEADLINE_METRICS) private readonly metrics: DeadlineMetrics,
    @Inject(RECONCILER_SETTINGS) private readonly settings: ReconcilerSettings,
  ) {}

  async reconcile(now = new Date()): Promise<ReconcileResult> {
    const startedAt = Date.now();
    const due = await this.flows.open().store.dueForDeadline(now, BATCH);
    const result: ReconcileResult = { redriven: 0, expired: 0 };
    let unsettled = 0;
    for (const id of due) {
      // One job that cannot be settled (its family locked for long, bad data) must not hold up the others.
      const outcome = await withLogContext({ jobId: id }, () => this.settle(id, now)).catch((error: Error) => {
        this.log.warn('deadline not settled; the next pass retries', { jobId: id, error: error.message });
        unsettled += 1;
        return null;
      });
      if (outcome) result[outcome] += 1;
    }
    const purged = await this.transactions.run(() => this.flows.open().tombstones.purge(this.settings.tombstoneTtlHours));
    if (purged > 0) this.log.info('cancels whose job never came forgotten', { count: purged });
    // Every pass that found work is logged with its counts; empty ones only at debug level (one per interval).
    const summary = { due: due.length, ...result, unsettled, ms: Date.now() - startedAt };
    if (due.length > 0) this.log.info('reconcile pass', summary);
    else this.log.debug('reconcile pass', summary);
    return result;
  }

  private settle(id: string, now: Date): Promise<'redriven' | 'expired' | null> {
    return this.transactions.run(async () => {
      const flow = this.flows.open();
      // A family busy for longer is left to the next pass rather than waited for.
      await flow.store.boundWaits();
      const family = await flow.store.lockFamily(id);
      const job = family.get(id);
      const action = job && onDeadline(job, this.flows.limits, now);
      if (!job) return null;
      if (!action) {
        // Another instance moved it on, or the limits grew since it was saved: keep it out of the next passes.
        await flow.store.refreshDeadline(job);
        return null;
      }
      if (action.kind === 'redrive') {
        await flow.save(family, action.transition);
        await flow.startWork(action.transition.job);
        this.log.warn('deadline passed: work asked for again', { jobId: id, work: action.work, status: job.status, redrives: action.transition.job.redrives });
        this.metrics.redriven(job);
        return 'redriven';
      }
      await flow.expire(family, job, action.reason, now);
      this.log.warn('deadline passed: job ended in error', { jobId: id, work: action.work, status: job.status, reason: action.reason });
      this.metrics.expired(job);
      return 'expired';
    });
  }
}
