import { randomUUID } from 'node:crypto';
import { childJobId, TOPICS, workEventId } from '@vrs/contracts';
import { renderMetrics } from '@vrs/observability';
import { eventOf, orchestratorHarness, TEST_LIMITS, type OrchestratorHarness } from '../../testing/orchestrator-harness';

const clip = [{ type: 'video' as const, src: 'http://127.0.0.1:9/a.mp4' }];
const nested = { type: 'job' as const, template: { id: 'tpl', composition: 'main' }, assets: [], settings: { frames: 0 } };
const newId = () => `d-${randomUUID().slice(0, 12)}`;
/** A moment `sec` seconds past now: passes to the reconciler stand for time going by, without waiting. */
const later = (sec: number) => new Date(Date.now() + sec * 1000);
// TEST_LIMITS: one clip's stitch may take 60 + 10 s; one frame's render 60 + 1 s.
const STITCH_SEC = 70;
const metric = async (series: string) => {
  const line = (await renderMetrics()).body.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1));
};
const redriven = () => metric('vrs_jobs_redriven_total{type="join"}');
const expired = () => metric('vrs_jobs_deadline_exceeded_total{type="join"}');

// A lost step (a dropped stitch.requested, a stitcher that skipped, a dead worker) must never leave a job waiting.
describe('deadlines and the reconciler (real PostgreSQL)', () => {
  let h: OrchestratorHarness;
  beforeAll(async () => {
    h = await orchestratorHarness('vrs_orchestrator_deadline_spec');
  });
  beforeEach(() => h.dataSource.query('TRUNCATE jobs, outbox, cancel_tombstones'));
  afterAll(() => h.close());

  it('leaves a job alone before its deadline', async () => {
    const id = newId();
    await h.join(id, 't', clip);
    expect(await h.reconciler.reconcile(later(STITCH_SEC - 5))).toEqual({ redriven: 0, expired: 0 });
    expect(await h.published([id], TOPICS.stitchRequested)).toHaveLength(1);
  });

  it('asks for a stitch again with the same event id, a bounded number of times, then ends the job in error', async () => {
    const id = newId();
    const before = { redriven: await redriven(), expired: await expired() };
    await h.join(id, 't', clip);
    expect(await h.reconciler.reconcile(later(STITCH_SEC + 1))).toEqual({ redriven: 1, expired: 0 });
    expect(await h.reconciler.reconcile(later(STITCH_SEC + 2))).toEqual({ redriven: 0, expired: 0 });
    expect(await h.reconciler.reconcile(later(2 * STITCH_SEC + 3))).toEqual({ redriven: 1, expired: 0 });
    expect(await h.reconciler.reconcile(later(3 * STITCH_SEC + 5))).toEqual({ redriven: 0, expired: 1 });

    const requests = await h.published([id], TOPICS.stitchRequested);
    expect(requests.map((e) => e.payload.eventId)).toEqual([workEventId(id), workEventId(id), workEventId(id)]);
    expect(await h.job(id)).toMatchObject({
      status: 'error',
      redrives: 2,
      deadlineAt: null,
      error: 'the stitch did not start within 70 s, asked for 3 time(s); the stitcher may be down or overloaded: submit the job again',
    });
    const lines = (await h.published([id], TOPICS.jobStatusChanged)).map((e) => e.payload.logLine);
    expect(lines).toContain('the stitch did not start within 70 s; asked for it again (1 of 2)');
    expect(await h.published([id], TOPICS.jobCancelRequested)).toHaveLength(1);
    // Counted in /metrics, once each.
    expect(await redriven()).toBe(before.redriven + 2);
    expect(await expired()).toBe(before.expired + 1);
  });

  it('re-drives a job once when several reconcilers pass over it at the same moment', async () => {
    const ids = Array.from({ length: 8 }, newId);
    for (const id of ids) await h.join(id, 't', clip);
    const now = later(STITCH_SEC + 1);
    const before = await redriven();
    const passes = await Promise.all([h.reconciler.reconcile(now), h.reconciler.reconcile(now), h.reconciler.reconcile(now)]);
    expect(passes.reduce((sum, pass) => sum + pass.redriven, 0)).toBe(ids.length);
    expect(await redriven()).toBe(before + ids.length);
    for (const id of ids) expect((await h.job(id))!.redrives).toBe(1);
    expect(await h.published(ids, TOPICS.stitchRequested)).toHaveLength(2 * ids.length);
  });

  it('moves the deadline on when the work reports, and ends a job that finishes with no deadline', async () => {
    const id = newId();
    await h.join(id, 't', clip);
    await h.stitch.progress(eventOf(TOPICS.stitchProgress, { jobId: id, phase: 'download', fraction: 0.1 }), h.work);
    const running = await h.job(id);
    expect(running!.deadlineAt!.getTime()).toBe(running!.startedAt!.getTime() + STITCH_SEC * 1000);
    await h.stitch.completed(eventOf(TOPICS.stitchCompleted, { jobId: id, outputKey: `${id}.mp4`, durationSec: 1, sizeBytes: 10 }), h.work);
    expect(await h.reconciler.reconcile(later(86_400))).toEqual({ redriven: 0, expired: 0 });
    expect((await h.job(id))!.status).toBe('finished');
  });

  it('fails the parent as a failed child would when a child render never reports', async () => {
    const id = newId();
    await h.join(id, 't', [nested, nested]);
    const [a, b] = [childJobId(id, 0), childJobId(id, 1)];
    await h.render.finished(eventOf(TOPICS.childFinished, { jobId: a, parentId: id, outputKey: `${a}.mp4`, durationSec: 1 }), h.work);
    const renderSec = TEST_LIMITS.renderBaseSec + TEST_LIMITS.renderPerFrameSec;
    for (let attempt = 1; attempt <= TEST_LIMITS.redriveLimit + 1; attempt++) await h.reconciler.reconcile(later(attempt * (renderSec + 1)));

    expect(await h.published([b], TOPICS.renderRequested)).toHaveLength(3);
    expect(await h.job(b)).toMatchObject({ status: 'error', error: expect.stringMatching(/^the render did not start within 61 s/) });
    expect(await h.job(id)).toMatchObject({
      status: 'error',
      error: expect.stringMatching(new RegExp(`^child job ${b} \\(assets\\[1\\]\\) failed: the render did not start`)),
    });
    expect(await h.published([id], TOPICS.stitchRequested)).toEqual([]);
  });

  it('ends a pending parent whose children outlive all their attempts', async () => {
    const id = newId();
    await h.join(id, 't', [nested]);
    // Only the parent is overdue: its child's row is gone, as a lost step would leave it.
    await h.dataSource.query('DELETE FROM jobs WHERE id = $1', [childJobId(id, 0)]);
    expect(await h.reconciler.reconcile(later(3 * 61 + 1))).toEqual({ redriven: 0, expired: 0 });
    expect(await h.reconciler.reconcile(later(4 * 61 + 1))).toEqual({ redriven: 0, expired: 1 });
    expect(await h.job(id)).toMatchObject({
      status: 'error',
      error: '1 of 1 child job(s) did not finish within 4 min; the renderer may be down or overloaded: submit the job again',
    });
  });

  it('moves a stored deadline on when the limits grew since the job was saved', async () => {
    const id = newId();
    await h.join(id, 't', clip);
    await h.dataSource.query(`UPDATE jobs SET deadline_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    expect(await h.reconciler.reconcile(new Date())).toEqual({ redriven: 0, expired: 0 });
    const job = await h.job(id);
    expect(job!.deadlineAt!.getTime()).toBe(job!.createdAt.getTime() + STITCH_SEC * 1000);
  });

  it('leaves a job whose family stays locked to the next pass and settles the others', async () => {
    const [busy, free] = [newId(), newId()];
    await h.join(busy, 't', clip);
    await h.join(free, 't', clip);
    const runner = h.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE', [busy]);
      expect(await h.reconciler.reconcile(later(STITCH_SEC + 1))).toEqual({ redriven: 1, expired: 0 });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect((await h.job(free))!.redrives).toBe(1);
    expect((await h.job(busy))!.redrives).toBe(0);
    expect(await h.reconciler.reconcile(later(STITCH_SEC + 1))).toEqual({ redriven: 1, expired: 0 });
  });

  it('forgets cancels whose job never came, after their time', async () => {
    await h.cancel(newId(), 't');
    await h.dataSource.query(`UPDATE cancel_tombstones SET created_at = now() - interval '25 hours'`);
    await h.cancel(newId(), 't');
    await h.reconciler.reconcile(new Date());
    const [{ n }] = await h.dataSource.query('SELECT count(*)::int AS n FROM cancel_tombstones');
    expect(n).toBe(1);
  });
});
