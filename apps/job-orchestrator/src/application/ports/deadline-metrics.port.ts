import type { Job } from '../../domain/job';

/** What the reconciler did, for the job metrics: counted only once the transaction that did it commits. */
export interface DeadlineMetrics {
  redriven(job: Pick<Job, 'type'>): void;
  expired(job: Pick<Job, 'type'>): void;
}

export const DEADLINE_METRICS = Symbol('DEADLINE_METRICS');
