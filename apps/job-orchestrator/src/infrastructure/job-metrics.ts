import type { DataSource } from 'typeorm';
import { JOB_STATUSES, jobType, TERMINAL_STATUSES, type JobStatus } from '@vrs/contracts';
import { counter, SampledGauge, sharedRead, type GaugeSample } from '@vrs/observability';
import type { Job } from '../domain/job';

/** The states a job is in until it ends; the only ones the gauges below count (ended jobs only pile up). */
export const ACTIVE_STATUSES: readonly JobStatus[] = JOB_STATUSES.filter((status) => !TERMINAL_STATUSES.includes(status));

export const jobTransitions = counter({
  name: 'vrs_job_transitions_total',
  help: 'Jobs that entered a state (created jobs enter "queued"), by job type and the state entered.',
  labelNames: ['type', 'state'] as const,
});
// Every type × state series exists from the start, so rate() and increase() see a job's first entry into it.
for (const type of jobType.options) for (const state of JOB_STATUSES) jobTransitions.inc({ type, state }, 0);

/** Incremented by the deadline reconciler for each job it ends because it ran past its deadline. */
export const jobsDeadlineExceeded = counter({
  name: 'vrs_jobs_deadline_exceeded_total',
  help: 'Jobs ended because they were still running past their deadline, by job type.',
  labelNames: ['type'] as const,
});
for (const type of jobType.options) jobsDeadlineExceeded.inc({ type }, 0);

/** Incremented by the deadline reconciler for each work request it sends again. */
export const jobsRedriven = counter({
  name: 'vrs_jobs_redriven_total',
  help: 'Work requests (stitch.requested, render.requested) sent again because the job did not report within its deadline, by job type.',
  labelNames: ['type'] as const,
});
for (const type of jobType.options) jobsRedriven.inc({ type }, 0);

export const activeJobs = new SampledGauge({
  name: 'vrs_jobs_active',
  help: 'Jobs not ended yet, by job type and current state.',
  labelNames: ['type', 'state'] as const,
});

export const oldestUnchangedJob = new SampledGauge({
  name: 'vrs_jobs_oldest_unchanged_seconds',
  help: 'Seconds since the job that has waited longest without any change (progress included) last changed, by job type and state; 0 when none.',
  labelNames: ['type', 'state'] as const,
});

export interface ActiveJobsRow {
  type: string;
  status: string;
  jobs: number;
  oldestUnchangedSeconds: number;
}

type Label = 'type' | 'state';

/** One sample for every type × active state, zero where the table has none, so each series always exists. */
export function activeJobSamples(rows: ActiveJobsRow[], value: (row: ActiveJobsRow) => number): GaugeSample<Label>[] {
  const found = new Map(rows.map((row) => [`${row.type}/${row.status}`, row]));
  return jobType.options.flatMap((type) =>
    ACTIVE_STATUSES.map((state) => {
      const row = found.get(`${type}/${state}`);
      return { labels: { type, state }, value: row ? value(row) : 0 };
    }),
  );
}

// Literal, not a parameter, so the planner uses the partial index of active jobs (ActiveJobsIndex migration).
const ACTIVE_SQL_LIST = ACTIVE_STATUSES.map((status) => `'${status}'`).join(', ');

async function readActiveJobs(dataSource: DataSource): Promise<ActiveJobsRow[]> {
  const rows: Array<{ type: string; status: string; jobs: string; oldest: number }> = await dataSource.query(
    `SELECT type, status, count(*) AS jobs, EXTRACT(EPOCH FROM now() - min(updated_at))::float8 AS oldest
       FROM jobs WHERE status IN (${ACTIVE_SQL_LIST}) GROUP BY type, status`,
  );
  return rows.map((row) => ({ type: row.type, status: row.status, jobs: Number(row.jobs), oldestUnchangedSeconds: Math.max(0, Number(row.oldest)) }));
}

/** Binds the job gauges to the orchestrator's database; read at every scrape. */
export function watchJobs(dataSource: DataSource): void {
  const read = sharedRead(() => readActiveJobs(dataSource));
  activeJobs.sampleWith(async () => activeJobSamples(await read(), (row) => row.jobs));
  oldestUnchangedJob.sampleWith(async () => activeJobSamples(await read(), (row) => row.oldestUnchangedSeconds));
}

/** Counts a job's entry into its current state. */
export const countTransition = (job: Pick<Job, 'type' | 'status'>) => jobTransitions.inc({ type: job.type, state: job.status });
