import { Injectable } from '@nestjs/common';
import type { JobCancelRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { isTerminal } from '../../domain/job';
import { JobFlows } from '../../infrastructure/job-flows';

/**
 * Cancelling a job cancels its whole family: a parent's children, and a child's parent. A cancel
 * for a job not known yet is kept (per tenant), so the job starts cancelled when it arrives.
 */
@Injectable()
export class CancelJobHandler {
  private readonly log = logger('cancel-job');

  constructor(private readonly flows: JobFlows) {}

  handle(event: JobCancelRequested, work: UnitOfWork): Promise<void> {
    return work.transaction(async (manager) => {
      const flow = this.flows.open(manager);
      await flow.tombstones.lockIds([event.jobId]);
      const family = await flow.store.lockFamily(event.jobId);
      const job = family.get(event.jobId);
      if (!job) {
        await flow.tombstones.record(event.tenantId, event.jobId, event.reason);
        this.log.info('cancel request for a job not known yet: it starts cancelled when it arrives', { jobId: event.jobId });
        return;
      }
      if (job.tenantId !== event.tenantId) {
        this.log.warn('cancel request from another tenant ignored', { jobId: event.jobId, tenantId: event.tenantId });
        return;
      }
      if (isTerminal(job)) {
        this.log.info('cancel request for a job that has already ended', { jobId: event.jobId, status: job.status });
        return;
      }
      await flow.cancelAll(family, event.reason, new Date());
    });
  }
}
