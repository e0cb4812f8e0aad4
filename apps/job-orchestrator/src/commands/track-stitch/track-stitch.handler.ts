import { Injectable } from '@nestjs/common';
import type { StitchCompleted, StitchFailed, StitchProgress } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { completeStitch, failJob, isTerminal, recordStitchProgress, type Job, type Transition } from '../../domain/job';
import { JobFlows } from '../../infrastructure/job-flows';
import { logIgnoredReport } from '../../infrastructure/ignored-reports';

/**
 * Applies the stitcher's reports to the job. Reports for ended or unknown jobs (a stitch that
 * finishes after a cancel or a deadline, a repeated report) change nothing and are logged.
 */
@Injectable()
export class TrackStitchHandler {
  constructor(private readonly flows: JobFlows) {}

  progress(event: StitchProgress, work: UnitOfWork) {
    return this.update(work, event.jobId, 'stitch.progress', (job) => recordStitchProgress(job, event.phase, event.fraction, new Date()));
  }

  completed(event: StitchCompleted, work: UnitOfWork) {
    return this.update(work, event.jobId, 'stitch.completed', (job) => completeStitch(job, event, new Date()));
  }

  failed(event: StitchFailed, work: UnitOfWork) {
    return this.update(work, event.jobId, 'stitch.failed', (job) => failJob(job, event.reason, new Date()));
  }

  private update(work: UnitOfWork, jobId: string, topic: string, transition: (job: Job) => Transition | null): Promise<void> {
    return work.transaction(async (manager) => {
      const { store } = this.flows.open(manager);
      const job = await store.lock(jobId);
      if (!job || isTerminal(job)) return logIgnoredReport(topic, jobId, job);
      const change = transition(job);
      if (change) await store.apply(change);
    });
  }
}
