import { cancelJob, completeStitch, failJob, newJoinJob, recordStitchProgress } from './job';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:00:05Z');
const upload = { provider: 's3' as const, params: { region: 'r', bucket: 'bkt', accessKeyId: 'id', accessKeySecret: 'secret' } };
const fresh = () => newJoinJob({ id: 'j1', tenantId: 't', assets: [{ type: 'video', src: 'http://x/a.mp4' }], upload }, t0).job;

describe('join job state machine', () => {
  it('starts queued with its output key fixed', () => {
    expect(fresh()).toMatchObject({ status: 'queued', progress: 0, sequence: 0, outputKey: 'j1.mp4' });
  });

  it('moves to render:dorender on progress, never backwards in progress, and bumps the sequence', () => {
    const a = recordStitchProgress(fresh(), 'download', 0.3, t1)!;
    expect(a.job).toMatchObject({ status: 'render:dorender', progress: 30, sequence: 1, startedAt: t1 });
    expect(recordStitchProgress(a.job, 'join', 0.2, t1)).toBeNull();
    expect(recordStitchProgress(a.job, 'join', 1, t1)!.job.progress).toBe(99);
  });

  it('finishes at 100 and forgets the upload secret', () => {
    const done = completeStitch(fresh(), { durationSec: 3, sizeBytes: 10 }, t1)!.job;
    expect(done).toMatchObject({ status: 'finished', progress: 100, finishedAt: t1 });
    expect(done.upload!.params.accessKeySecret).toBe('***');
  });

  it("takes a short stitch's start from its result, its progress's start before that, never one after the end", () => {
    const stitchStart = '2026-01-01T00:00:04.200Z';
    expect(completeStitch(fresh(), { durationSec: 3, sizeBytes: 10, startedAt: stitchStart }, t1)!.job.startedAt).toEqual(new Date(stitchStart));
    const started = recordStitchProgress(fresh(), 'download', 0.3, new Date('2026-01-01T00:00:03Z'))!.job;
    expect(completeStitch(started, { durationSec: 3, sizeBytes: 10, startedAt: stitchStart }, t1)!.job.startedAt).toEqual(started.startedAt);
    expect(completeStitch(fresh(), { durationSec: 3, sizeBytes: 10, startedAt: '2026-01-01T00:00:09Z' }, t1)!.job.startedAt).toEqual(t1);
  });

  it('ignores late events once ended, and cancels a job that has not', () => {
    const failed = failJob(fresh(), 'clip 2: 404', t1)!.job;
    expect(failed).toMatchObject({ status: 'error', error: 'clip 2: 404', errorAt: t1 });
    expect(completeStitch(failed, { durationSec: 1, sizeBytes: 1 }, t1)).toBeNull();
    expect(recordStitchProgress(failed, 'join', 0.5, t1)).toBeNull();
    expect(cancelJob(fresh(), 'user', t1).job.status).toBe('manually_cancelled');
  });
});
