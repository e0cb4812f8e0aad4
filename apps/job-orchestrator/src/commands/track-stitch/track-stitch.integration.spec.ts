import { randomUUID } from 'node:crypto';
import { TOPICS } from '@vrs/contracts';
import { eventOf, orchestratorHarness, type OrchestratorHarness } from '../../testing/orchestrator-harness';

const clip = [{ type: 'video' as const, src: 'http://127.0.0.1:9/a.mp4' }];
const newId = () => `s-${randomUUID().slice(0, 12)}`;

// The stitcher's reports race the user's cancel and each other: the first end wins, nothing revives a job.
describe('stitch reports in any order (real PostgreSQL)', () => {
  let h: OrchestratorHarness;
  beforeAll(async () => {
    h = await orchestratorHarness('vrs_orchestrator_stitch_spec');
  });
  afterAll(() => h.close());

  const completed = (jobId: string) =>
    h.stitch.completed(eventOf(TOPICS.stitchCompleted, { jobId, outputKey: `${jobId}.mp4`, durationSec: 2, sizeBytes: 1000 }), h.work);
  const failed = (jobId: string) => h.stitch.failed(eventOf(TOPICS.stitchFailed, { jobId, reason: 'clip 0: 404' }), h.work);
  const progress = (jobId: string) => h.stitch.progress(eventOf(TOPICS.stitchProgress, { jobId, phase: 'join', fraction: 0.5 }), h.work);
  const statuses = async (id: string) => (await h.published([id], TOPICS.jobStatusChanged)).map((e) => e.payload.status);

  it('keeps a cancelled job cancelled when its stitch completes afterwards', async () => {
    const id = newId();
    await h.join(id, 't', clip);
    await h.cancel(id, 't');
    await completed(id);
    await progress(id);
    expect((await h.job(id))!.status).toBe('manually_cancelled');
    expect(await statuses(id)).toEqual(['queued', 'manually_cancelled']);
  });

  it('keeps a finished job finished when a cancel, a failure or a late progress report comes after it', async () => {
    const id = newId();
    await h.join(id, 't', clip);
    await progress(id);
    await completed(id);
    await h.cancel(id, 't');
    await failed(id);
    await progress(id);
    await completed(id);
    expect(await h.job(id)).toMatchObject({ status: 'finished', progress: 100, deadlineAt: null });
    expect(await statuses(id)).toEqual(['queued', 'render:dorender', 'finished']);
  });

  it('keeps the first of a failure and a completion', async () => {
    const id = newId();
    await h.join(id, 't', clip);
    await failed(id);
    await completed(id);
    expect(await h.job(id)).toMatchObject({ status: 'error', error: 'clip 0: 404' });
  });

  it('ignores reports for a job it does not know', async () => {
    const id = newId();
    await completed(id);
    expect(await h.job(id)).toBeNull();
    expect(await h.published([id])).toEqual([]);
  });
});
