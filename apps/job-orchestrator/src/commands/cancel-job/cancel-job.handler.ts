import { Inject, Injectable } from '@nestjs/common';
import { OutputUrls, type JobCancelRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { isTerminal } from '../../domain/job';
import { JobFlow } from '../../infrastructure/job-flow';

/** Cancelling a job cancels its whole family: a parent's children, and a child's parent. */
@Injectable()
export class CancelJobHandler {
  private readonly log = logger('cancel-job');

  constructor(@Inject(OutputUrls) private readonly urls: OutputUrls) {}

  handle(event: JobCancelRequested, work: UnitOfWork): Promise<void> {
    return work.transaction(async (manager) => {
      const flow = new JobFlow(manager, (key) => this.urls.urlFor(key));
      const family = await flow.store.lockFamily(event.jobId);
      const job = family.get(event.jobId);
      if (!job || job.tenantId !== event.tenantId || isTerminal(job)) {
        this.log.info('cancel request for a job that is unknown or already ended', { jobId: event.jobId });
        return;
      }
      await flow.cancelAll(family, event.reason, new Date());
    });
  }
}
