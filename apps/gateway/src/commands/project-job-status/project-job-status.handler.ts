import { Inject, Injectable } from '@nestjs/common';
import type { JobStatusChanged } from '@vrs/contracts';
import type { Transactions } from '@vrs/service-kit';
import { JOB_VIEWS, type JobViews } from '../../application/ports/job-views.port';

/** Applies the orchestrator's status events to the read model, in the transaction that consumes them. */
@Injectable()
export class ProjectJobStatusHandler {
  constructor(@Inject(JOB_VIEWS) private readonly views: JobViews) {}

  async handle(events: JobStatusChanged[], consumed: Transactions): Promise<void> {
    await consumed.run(() => this.views.applyAll(events));
  }
}
