import { Inject, Injectable } from '@nestjs/common';
import type { StitchCompleted, StitchFailed, StitchProgress } from '@vrs/contracts';
import type { Transactions } from '@vrs/service-kit';
import { logIgnoredReport } from '../../application/ignored-reports';
import { JOB_FLOWS, type JobFlows } from '../../application/ports/job-flows.port';
import { completeStitch, failJob, isTerminal, recordStitchProgress, type Job, type Transition } from '../../domain/job';

/**
 * Applies the stitcher's reports to the job. Reports for ended or unknown jobs (a stitch that
 * finishes after a cancel or a deadline, a repeated report) change nothing and are logged.
 */
@Injectable()
export class TrackStitchHandler {
  constructor(@Inject(JOB_FLOWS) private readonly flows: JobFlows) {}

  progress(event: StitchProgress, work: Transactions) {
    return this.update(work, event.jobId, 'stitch.progress', (job) => recordStitchProgress(job, event.phase, event.fraction, new Date()));
  }

  completed(event: StitchCompleted, work: Transactions) {
    return this.update(work, event.jobId, 'stitch.completed', (job) => completeStitch(job, event, new Date()));
  }

  failed(event: StitchFailed, work: Transactions) {
    return this.update(work, event.jobId, 'stitch.failed', (job) => failJob(job, event.reason, new Date()));
  }

  /** `work`: the transaction that records the report as consumed. */
  private update(work: Transactions, jobId: string, topic: string, transition: (job: Job) => Transition | null): Promise<void> {
    return work.run(async () => {
      const { store } = this.flows.open();
      const job = await store.lock(jobId);
      if (!job || isTerminal(job)) return logIgnoredReport(topic, jobId, job);
      const change = transition(job);
      if (change) await store.apply(change);
    });
  }
}
