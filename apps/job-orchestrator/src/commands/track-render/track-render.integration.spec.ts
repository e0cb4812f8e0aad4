import { randomUUID } from 'node:crypto';
import { childJobId, TOPICS } from '@vrs/contracts';
import { eventOf, orchestratorHarness, type OrchestratorHarness } from '../../testing/orchestrator-harness';

const nested = (value: string) => ({
  type: 'job' as const,
  template: { id: 'tpl', composition: 'main' },
  assets: [{ type: 'data' as const, layerName: 'title', property: 'Source Text' as const, value }],
});
const newId = () => `r-${randomUUID().slice(0, 12)}`;

// Child reports can repeat (redelivery, re-drive) and come late (after the parent ended).
describe('child reports repeated or late (real PostgreSQL)', () => {
  let h: OrchestratorHarness;
  beforeAll(async () => {
    h = await orchestratorHarness('vrs_orchestrator_render_spec');
  });
  afterAll(() => h.close());

  const finished = (jobId: string, parentId: string) =>
    h.render.finished(eventOf(TOPICS.childFinished, { jobId, parentId, outputKey: `${jobId}.mp4`, durationSec: 1 }), h.work);
  const failed = (jobId: string, parentId: string) => h.render.failed(eventOf(TOPICS.childFailed, { jobId, parentId, reason: 'font missing' }), h.work);
  const progress = (jobId: string, parentId: string) => h.render.progress(eventOf(TOPICS.renderProgress, { jobId, parentId, fraction: 0.5 }), h.work);

  it('asks for the stitch once when the last child reports finished twice', async () => {
    const id = newId();
    await h.join(id, 't', [nested('a'), nested('b')]);
    const [a, b] = [childJobId(id, 0), childJobId(id, 1)];
    await finished(a, id);
    await finished(b, id);
    await finished(b, id);
    await finished(a, id);
    expect((await h.job(id))!.status).toBe('render:dorender');
    expect(await h.published([id], TOPICS.stitchRequested)).toHaveLength(1);
  });

  it('leaves a cancelled family as it is when a child reports after the cancel', async () => {
    const id = newId();
    await h.join(id, 't', [nested('a'), nested('b')]);
    await h.cancel(id, 't');
    await finished(childJobId(id, 0), id);
    await failed(childJobId(id, 1), id);
    await progress(childJobId(id, 1), id);
    for (const job of [id, childJobId(id, 0), childJobId(id, 1)]) expect((await h.job(job))!.status).toBe('manually_cancelled');
    expect(await h.published([id], TOPICS.stitchRequested)).toEqual([]);
  });

  it('keeps the parent failed, naming the first child, when a sibling finishes or fails later', async () => {
    const id = newId();
    await h.join(id, 't', [nested('a'), nested('b')]);
    await failed(childJobId(id, 0), id);
    await finished(childJobId(id, 1), id);
    await failed(childJobId(id, 1), id);
    expect(await h.job(id)).toMatchObject({ status: 'error', error: `child job ${childJobId(id, 0)} (assets[0]) failed: font missing` });
    expect((await h.job(childJobId(id, 1)))!.status).toBe('manually_cancelled');
  });
});
