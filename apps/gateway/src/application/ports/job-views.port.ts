import type { BatchStats, JobStatus, JobStatusChanged, PresentableJob } from '@vrs/contracts';

/** One job in the gateway's read model: what presenting it needs, and whose it is. */
export type JobRecord = PresentableJob & { tenantId: string };

export interface NewJobView {
  id: string;
  tenantId: string;
  type: JobRecord['type'];
  outputKey: string;
  batchId?: string;
}

export interface ListQuery {
  tenantId: string;
  states?: JobStatus[];
  limit: number;
  from?: string;
  sort: 'asc' | 'desc';
}

export interface BatchSummary {
  id: string;
  createdAt: string;
  stats: BatchStats;
}

/** The gateway's read model of jobs and batches: written at submit time, then kept up by job.status-changed. */
export interface JobViews {
  /** Records newly accepted jobs, queued at `now`, with their first log line. */
  insertQueued(jobs: NewJobView[], now: Date): Promise<void>;
  /** Applies each job's newest status event unless a newer one was applied already (events may arrive out of order); adds every event's log line. */
  applyAll(events: JobStatusChanged[]): Promise<void>;
  get(tenantId: string, id: string): Promise<JobRecord | null>;
  /** The status of each of the tenant's jobs among `ids` (other tenants' and unknown ids are absent). */
  statuses(tenantId: string, ids: string[]): Promise<Map<string, JobStatus>>;
  list(query: ListQuery): Promise<JobRecord[]>;
  logLines(jobId: string): Promise<{ at: Date; line: string }[]>;
  insertBatch(id: string, tenantId: string): Promise<void>;
  /** The tenant's batches, newest first (or the one `batchId`), each with the counts of its jobs by outcome. */
  batches(tenantId: string, query: { limit: number; batchId?: string }): Promise<BatchSummary[]>;
}

export const JOB_VIEWS = Symbol('JOB_VIEWS');
