import { Injectable } from '@nestjs/common';
import type { JobCancelRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { cancelJob, isTerminal } from '../../domain/job';
import { JobStore } from '../../infrastructure/job-store';

@Injectable()
export class CancelJobHandler {
  private readonly log = logger('cancel-job');

  handle(event: JobCancelRequested, work: UnitOfWork): Promise<void> {
    return work.transaction(async (manager) => {
      const store = new JobStore(manager);
      const job = await store.lock(event.jobId);
      if (!job || job.tenantId !== event.tenantId || isTerminal(job)) {
        this.log.info('cancel request for a job that is unknown or already ended', { jobId: event.jobId });
        return;
      }
      await store.apply(cancelJob(job, event.reason, new Date()));
    });
  }
}
