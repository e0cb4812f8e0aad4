import { Inject, Injectable } from '@nestjs/common';
import { foreignCancelReason, type JobCancelRequested } from '@vrs/contracts';
import { PermanentFailure } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import type { Transactions } from '@vrs/service-kit';
import { JOB_FLOWS, type JobFlows } from '../../application/ports/job-flows.port';
import { isTerminal } from '../../domain/job';

/**
 * Cancelling a job cancels its whole family: a parent's children, and a child's parent. A cancel
 * for a job not known yet is kept (per tenant), so the job starts cancelled when it arrives. A
 * cancel naming another tenant's job goes to the DLQ with the reason.
 */
@Injectable()
export class CancelJobHandler {
  private readonly log = logger('cancel-job');

  constructor(@Inject(JOB_FLOWS) private readonly flows: JobFlows) {}

  handle(event: JobCancelRequested, consumed: Transactions): Promise<void> {
    return consumed.run(async () => {
      const flow = this.flows.open();
      await flow.tombstones.lockIds([event.jobId]);
      const family = await flow.store.lockFamily(event.jobId);
      const job = family.get(event.jobId);
      if (!job) {
        await flow.tombstones.record(event.tenantId, event.jobId, event.reason);
        this.log.info('cancel request for a job not known yet: it starts cancelled when it arrives', { jobId: event.jobId });
        return;
      }
      // Not applied, and dead-lettered so the producer can find out why.
      if (job.tenantId !== event.tenantId) throw new PermanentFailure(foreignCancelReason(event.jobId, event.tenantId));
      if (isTerminal(job)) {
        this.log.info('cancel request for a job that has already ended', { jobId: event.jobId, status: job.status });
        return;
      }
      await flow.cancelAll(family, event.reason, new Date());
    });
  }
}
