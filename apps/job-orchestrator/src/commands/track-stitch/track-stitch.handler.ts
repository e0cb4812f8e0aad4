import { Injectable } from '@nestjs/common';
import type { StitchCompleted, StitchFailed, StitchProgress } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { completeStitch, failJob, recordStitchProgress, type Job, type Transition } from '../../domain/job';
import { JobStore } from '../../infrastructure/job-store';

/** Applies the stitcher's reports to the job; reports for ended or unknown jobs change nothing. */
@Injectable()
export class TrackStitchHandler {
  progress(event: StitchProgress, work: UnitOfWork) {
    return this.update(work, event.jobId, (job) => recordStitchProgress(job, event.phase, event.fraction, new Date()));
  }

  completed(event: StitchCompleted, work: UnitOfWork) {
    return this.update(work, event.jobId, (job) => completeStitch(job, event, new Date()));
  }

  failed(event: StitchFailed, work: UnitOfWork) {
    return this.update(work, event.jobId, (job) => failJob(job, event.reason, new Date()));
  }

  private update(work: UnitOfWork, jobId: string, transition: (job: Job) => Transition | null): Promise<void> {
    return work.transaction(async (manager) => {
      const store = new JobStore(manager);
      const job = await store.lock(jobId);
      const change = job && transition(job);
      if (change) await store.apply(change);
    });
  }
}
