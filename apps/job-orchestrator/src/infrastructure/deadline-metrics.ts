import { Injectable } from '@nestjs/common';
import { afterCommit, TransactionScope } from '@vrs/service-kit';
import type { DeadlineMetrics } from '../application/ports/deadline-metrics.port';
import type { Job } from '../domain/job';
import { jobsDeadlineExceeded, jobsRedriven } from './job-metrics';

/** `DeadlineMetrics` on the job counters, each counted after the open transaction commits. */
@Injectable()
export class CommittedDeadlineMetrics implements DeadlineMetrics {
  constructor(private readonly scope: TransactionScope) {}

  redriven(job: Pick<Job, 'type'>): void {
    afterCommit(this.scope.manager, () => jobsRedriven.inc({ type: job.type }));
  }

  expired(job: Pick<Job, 'type'>): void {
    afterCommit(this.scope.manager, () => jobsDeadlineExceeded.inc({ type: job.type }));
  }
}
