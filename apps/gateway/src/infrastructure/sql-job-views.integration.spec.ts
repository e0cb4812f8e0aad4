import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { JobStatus, JobStatusChanged } from '@vrs/contracts';
import { TransactionScope } from '@vrs/service-kit';
import { testDataSource } from '@vrs/testing';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { SqlJobViews } from './sql-job-views';

describe('SqlJobViews.applyAll (PostgreSQL): many status events in one statement', () => {
  let dataSource: DataSource;
  let views: SqlJobViews;

  beforeAll(async () => {
    dataSource = await testDataSource('vrs_test_gateway_job_views', GATEWAY_MIGRATIONS);
    views = new SqlJobViews(new TransactionScope(dataSource));
  });
  afterAll(() => dataSource.destroy());

  const event = (jobId: string, sequence: number, status: JobStatus, progress: number): JobStatusChanged => {
    const at = new Date(Date.UTC(2026, 11, 3, 10, 0, sequence)).toISOString();
    return {
      eventId: randomUUID(),
      schemaVersion: 1,
      occurredAt: at,
      jobId,
      tenantId: 't1',
      parentId: null,
      type: 'join',
      status,
      progress,
      sequence,
      outputKey: `outputs/${jobId}.mp4`,
      outputUrl: `http://127.0.0.1:3000/outputs/${jobId}.mp4?sig=x`,
      uploadedUrl: null,
      children: [],
      stats: { createdAt: at, updatedAt: at, startedAt: null, finishedAt: status === 'finished' ? at : null, errorAt: null, error: null },
      logLine: `step ${sequence}`,
    };
  };

  it('keeps the newest event of each job, whatever the order, never goes back, and logs every event in the order given', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await views.insertQueued([{ id: a, tenantId: 't1', type: 'join', outputKey: `outputs/${a}.mp4` }], new Date());
    // Two events of a in one call, the newer first (as a redelivery may bring them); b is new to the read model.
    await views.applyAll([event(a, 2, 'pending', 40), event(b, 0, 'queued', 0), event(a, 1, 'pending', 10)]);
    expect(await views.get('t1', a)).toMatchObject({ status: 'pending', progress: 40 });
    expect(await views.get('t1', b)).toMatchObject({ status: 'queued', progress: 0 });

    // An older event arriving after a newer one changes nothing but the log; a newer one wins.
    await views.applyAll([event(a, 0, 'queued', 0), event(b, 3, 'finished', 100)]);
    expect(await views.get('t1', a)).toMatchObject({ status: 'pending', progress: 40 });
    expect(await views.get('t1', b)).toMatchObject({ status: 'finished', progress: 100 });

    expect((await views.logLines(a)).map((l) => l.line)).toEqual(['accepted by the API', '[pending] step 2', '[pending] step 1', '[queued] step 0']);
    expect((await views.logLines(b)).map((l) => l.line)).toEqual(['[queued] step 0', '[finished] step 3']);
  });
});
