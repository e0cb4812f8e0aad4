import type { DataSource } from 'typeorm';
import { OutputUrls } from '@vrs/contracts';
import type { OutboxRelay } from '@vrs/messaging';
import { renderMetrics } from '@vrs/observability';
import { OutboxEvents, TransactionScope } from '@vrs/service-kit';
import { testDataSource } from '@vrs/testing';
import { ORCHESTRATOR_MIGRATIONS } from '../app.module';
import { completeStitch, newJoinJob, recordStitchProgress, type Job, type Transition } from '../domain/job';
import { TEST_LIMITS } from '../testing/orchestrator-harness';
import { watchJobs } from './job-metrics';
import { JobEntity } from './job.entity';
import { SqlJobFlows } from './sql-job-flows';
import { SqlJobStore } from './sql-job-store';

const value = async (series: string) => {
  const line = (await renderMetrics()).body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
const transitions = (state: string) => value(`vrs_job_transitions_total{type="join",state="${state}"}`);

describe('job metrics (real PostgreSQL)', () => {
  let db: DataSource;
  const clip = [{ type: 'video' as const, src: 'https://media.example/a.mp4' }];
  const launch = (id: string) => {
    const scope = new TransactionScope(db);
    const flows = new SqlJobFlows(
      scope,
      new OutboxEvents(scope, { wake: () => undefined } as unknown as OutboxRelay),
      new OutputUrls('https://out.example', 'spec-only-output-url-secret'),
      TEST_LIMITS,
    );
    return scope.within(() => flows.open().launch(newJoinJob({ id, tenantId: 't1', assets: clip }, new Date()), new Date()));
  };
  const change = (id: string, transition: (job: Job) => Transition | null) =>
    db.transaction(async (m) => {
      const store = new SqlJobStore(m, TEST_LIMITS);
      const next = transition((await store.lock(id))!);
      if (next) await store.apply(next);
    });

  beforeAll(async () => {
    db = await testDataSource('vrs_orchestrator_metrics_test', ORCHESTRATOR_MIGRATIONS, [JobEntity]);
    await db.query('DELETE FROM jobs');
    await db.query('DELETE FROM outbox');
  });
  afterAll(() => db.destroy());

  it('has every type × state series from the start, at zero', async () => {
    expect(await value('vrs_job_transitions_total{type="render",state="error"}')).toBe(0);
    expect(await value('vrs_jobs_deadline_exceeded_total{type="join"}')).toBe(0);
  });

  it('counts each change of state once it commits: not progress within a state, not a rolled-back change', async () => {
    const before = { queued: (await transitions('queued'))!, rendering: (await transitions('render:dorender'))!, finished: (await transitions('finished'))! };
    await launch('metrics-job-1');
    expect(await transitions('queued')).toBe(before.queued + 1);
    await expect(launch('metrics-job-1')).resolves.toBe('exists'); // the same job again is no new job
    await change('metrics-job-1', (job) => recordStitchProgress(job, 'download', 0.1, new Date()));
    await change('metrics-job-1', (job) => recordStitchProgress(job, 'join', 0.6, new Date()));
    expect(await transitions('render:dorender')).toBe(before.rendering + 1);
    await expect(
      db.transaction(async (m) => {
        const store = new SqlJobStore(m, TEST_LIMITS);
        await store.apply(completeStitch((await store.lock('metrics-job-1'))!, { durationSec: 1, sizeBytes: 10 }, new Date())!);
        throw new Error('commit failed');
      }),
    ).rejects.toThrow('commit failed');
    expect(await transitions('finished')).toBe(before.finished);
    await change('metrics-job-1', (job) => completeStitch(job, { durationSec: 1, sizeBytes: 10 }, new Date()));
    expect(await transitions('finished')).toBe(before.finished + 1);
    expect(await transitions('queued')).toBe(before.queued + 1);
  });

  it('reads the active jobs and the longest-unchanged one from the table at scrape time, zero where none', async () => {
    watchJobs(db);
    await launch('metrics-job-2');
    await launch('metrics-job-3');
    await db.query(`UPDATE jobs SET updated_at = now() - interval '2 hours' WHERE id = 'metrics-job-2'`);
    expect(await value('vrs_jobs_active{type="join",state="queued"}')).toBe(2);
    expect(await value('vrs_jobs_active{type="join",state="render:dorender"}')).toBe(0);
    expect(await value('vrs_jobs_active{type="render",state="queued"}')).toBe(0);
    expect(await value('vrs_jobs_active{type="join",state="finished"}')).toBeUndefined(); // ended jobs are not gauged
    const oldest = (await value('vrs_jobs_oldest_unchanged_seconds{type="join",state="queued"}'))!;
    expect(oldest).toBeGreaterThanOrEqual(7200);
    expect(oldest).toBeLessThan(7300);
    expect(await value('vrs_jobs_oldest_unchanged_seconds{type="join",state="pending"}')).toBe(0);
  });
});
