import { logger } from '@vrs/observability';
import type { Job } from '../domain/job';

/** A worker's report that changes nothing: its job is unknown, or ended first (cancel, failure, deadline). */
export function logIgnoredReport(topic: string, jobId: string, job: Job | null | undefined): void {
  // Made at call time, so the line carries the service's name (set when the service starts).
  const log = logger('ignored-reports');
  if (!job) log.warn(`${topic} for an unknown job ignored`, { jobId });
  else log.info(`${topic} for a job that has already ended ignored`, { jobId, status: job.status });
}
