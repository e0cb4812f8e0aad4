import { randomUUID } from 'node:crypto';
import { childJobId, TOPICS } from '@vrs/contracts';
import { PermanentFailure } from '@vrs/messaging';
import { orchestratorHarness, type OrchestratorHarness } from '../../testing/orchestrator-harness';

const clip = [{ type: 'video' as const, src: 'http://127.0.0.1:9/a.mp4' }];
const nested = { type: 'job' as const, layerName: 'clip', template: { id: 'tpl', composition: 'main' }, assets: [] };
const newId = () => `j-${randomUUID().slice(0, 12)}`;

// A cancel and its job's arrival come on different partitions, so either can come first.
describe('cancel and job arrival, in either order (real PostgreSQL)', () => {
  let h: OrchestratorHarness;
  beforeAll(async () => {
    h = await orchestratorHarness('vrs_orchestrator_cancel_spec');
  });
  afterAll(() => h.close());

  it('creates a join job cancelled when its cancel came first: status published, no stitch asked for', async () => {
    const id = newId();
    await h.cancel(id, 'tenant-a');
    expect(await h.job(id)).toBeNull();
    await h.join(id, 'tenant-a', clip);

    expect(await h.job(id)).toMatchObject({ status: 'manually_cancelled', deadlineAt: null });
    const published = await h.published([id]);
    expect(published.map((e) => e.topic)).toEqual([TOPICS.jobStatusChanged]);
    expect(published[0].payload).toMatchObject({ status: 'manually_cancelled', logLine: expect.stringMatching(/the cancel came first/) });
  });

  it('ends the same way when the job came first', async () => {
    const id = newId();
    await h.join(id, 'tenant-a', clip);
    expect((await h.job(id))!.deadlineAt).not.toBeNull();
    await h.cancel(id, 'tenant-a');

    expect(await h.job(id)).toMatchObject({ status: 'manually_cancelled', deadlineAt: null });
    expect((await h.published([id])).map((e) => `${e.topic}:${e.payload.status ?? ''}`)).toEqual([
      `${TOPICS.jobStatusChanged}:queued`,
      `${TOPICS.stitchRequested}:`,
      `${TOPICS.jobStatusChanged}:manually_cancelled`,
      `${TOPICS.jobCancelRequested}:`,
    ]);
  });

  it('starts a render job and all its children cancelled when the cancel named a child that did not exist yet', async () => {
    const id = newId();
    await h.cancel(childJobId(id, 0), 'tenant-a');
    await h.renderJob({ jobId: id, tenantId: 'tenant-a', template: { id: 'tpl', composition: 'main' }, assets: [nested] });

    expect((await h.job(id))!.status).toBe('manually_cancelled');
    expect((await h.job(childJobId(id, 0)))!.status).toBe('manually_cancelled');
    expect(await h.published([id, childJobId(id, 0)], TOPICS.renderRequested)).toEqual([]);
  });

  it("keeps a cancel to its tenant: another tenant's cancel neither cancels the job nor waits for it, and is dead-lettered", async () => {
    const before = newId();
    await h.cancel(before, 'tenant-b');
    await h.join(before, 'tenant-a', clip);
    expect((await h.job(before))!.status).toBe('queued');

    const after = newId();
    await h.join(after, 'tenant-a', clip);
    const refused = h.cancel(after, 'tenant-b');
    await expect(refused).rejects.toThrow(PermanentFailure);
    await expect(refused).rejects.toThrow(`tenantId: tenant "tenant-b" does not own job "${after}", so its cancel was not applied`);
    expect((await h.job(after))!.status).toBe('queued');
    const [{ n }] = await h.dataSource.query('SELECT count(*)::int AS n FROM cancel_tombstones WHERE job_id = $1', [after]);
    expect(n).toBe(0);
  });

  it('ends every job cancelled when cancels and their jobs arrive at the same moment', async () => {
    const ids = Array.from({ length: 24 }, newId);
    await Promise.all(
      ids.flatMap((id, i) => (i % 2 ? [h.cancel(id, 'tenant-a'), h.join(id, 'tenant-a', clip)] : [h.join(id, 'tenant-a', clip), h.cancel(id, 'tenant-a')])),
    );
    for (const id of ids) expect({ id, status: (await h.job(id))?.status }).toEqual({ id, status: 'manually_cancelled' });
  });

  it('treats a second arrival of a cancelled job as the same job', async () => {
    const id = newId();
    await h.cancel(id, 'tenant-a');
    await h.join(id, 'tenant-a', clip);
    await h.join(id, 'tenant-a', clip);
    expect((await h.job(id))!.status).toBe('manually_cancelled');
    expect(await h.published([id])).toHaveLength(1);
  });
});
