import { randomUUID } from 'node:crypto';
import { MAX_JOB_WARNINGS, TOPICS, type StitchRequested } from '@vrs/contracts';
import type { StitchReport } from '@vrs/media';
import type { UnitOfWork } from '@vrs/messaging';
import type { JobOutputs } from '@vrs/service-kit';
import { inlineLongWork, recordingOutbox } from '@vrs/testing';
import type { ClipSource } from '../../application/ports/clip-source.port';
import type { StitchEngine } from '../../application/ports/stitch-engine.port';
import { StitchClipsHandler } from './stitch-clips.handler';

const upload = { provider: 's3' as const, params: { region: 'eu-west-1', bucket: 'callers-bucket', accessKeyId: 'id', accessKeySecret: 'enc:v1:sealed' } };
const request = (overrides: Partial<StitchRequested> = {}): StitchRequested => ({
  eventId: randomUUID(),
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  jobId: 'job-1',
  tenantId: 't',
  clips: [{ src: 'https://cdn.example/a.mp4' }, { src: 'https://gw.example/outputs/job-1-0.mp4', rendered: true }],
  outputKey: 'job-1.mp4',
  ...overrides,
});
const report = (overrides: Partial<StitchReport> = {}) =>
  ({ durationSec: 4.2, sizeBytes: 12_345, method: 'copy-join', warnings: [], ...overrides }) as StitchReport;

/** The ports in memory: what was fetched, stored, pushed and published, in order. */
function fakes(engine: StitchEngine['stitch'] = async () => report(), fetchAll?: ClipSource['fetchAll']) {
  const calls: string[] = [];
  const outbox = recordingOutbox();
  const longWork = inlineLongWork('/work/job-1', (outcome) => calls.push(outcome));
  const clips: ClipSource = {
    fetchAll:
      fetchAll ??
      (async (jobId, sources, dir, _signal, onProgress) => {
        calls.push(`fetch ${jobId} ${sources.length} into ${dir}`);
        onProgress(0.5);
        onProgress(1);
        return sources.map((_, index) => `${dir}/clip-${index}`);
      }),
    fetchSoundtrack: async (src, dir) => {
      calls.push(`fetch soundtrack ${src}`);
      return `${dir}/soundtrack`;
    },
  };
  const outputs: JobOutputs = {
    store: async (key, path) => {
      calls.push(`store ${path} as ${key}`);
    },
    pushToCaller: async (path, spec, jobId) => {
      calls.push(`push ${path} to ${spec.params.bucket} for ${jobId}`);
      return `https://callers-bucket.example/${jobId}.mp4`;
    },
  };
  const stitchEngine: StitchEngine = {
    stitch: async (options) => {
      calls.push(`stitch ${options.inputs.join(',')} to ${options.outputPath}`);
      return engine(options);
    },
  };
  const handler = new StitchClipsHandler(longWork, clips, stitchEngine, outputs, outbox);
  return { handler, calls, published: outbox.published, work: {} as UnitOfWork };
}

describe('StitchClipsHandler (fake ports)', () => {
  it('fetches the clips, stitches and stores them under the job key, then reports stitch.completed', async () => {
    const { handler, calls, published, work } = fakes();
    const before = new Date().toISOString();
    await handler.handle(request(), work);
    expect(calls).toEqual([
      'fetch job-1 2 into /work/job-1',
      'stitch /work/job-1/clip-0,/work/job-1/clip-1 to /work/job-1/output.mp4',
      'store /work/job-1/output.mp4 as job-1.mp4',
      'succeeded',
    ]);
    // Within its first second a stitch sends no progress; its result says when it started instead.
    expect(published).toEqual([
      {
        topic: TOPICS.stitchCompleted,
        key: 'job-1',
        body: { jobId: 'job-1', outputKey: 'job-1.mp4', durationSec: 4.2, sizeBytes: 12_345, startedAt: expect.any(String) },
      },
    ]);
    const { startedAt } = published[0].body;
    expect(startedAt >= before && startedAt <= new Date().toISOString()).toBe(true);
  });

  it("pushes to the caller's bucket after storing, and reports where", async () => {
    const { handler, calls, published, work } = fakes();
    await handler.handle(request({ upload }), work);
    expect(calls.slice(-3)).toEqual(['store /work/job-1/output.mp4 as job-1.mp4', 'push /work/job-1/output.mp4 to callers-bucket for job-1', 'succeeded']);
    expect(published.at(-1)).toMatchObject({ topic: TOPICS.stitchCompleted, body: { uploadedUrl: 'https://callers-bucket.example/job-1.mp4' } });
  });

  it('passes on at most MAX_JOB_WARNINGS warnings', async () => {
    const warnings = Array.from({ length: MAX_JOB_WARNINGS + 5 }, (_, i) => `clip ${i + 1}: head filled`);
    const { handler, published, work } = fakes(async () => report({ warnings }));
    await handler.handle(request(), work);
    expect(published.at(-1)!.body.warnings).toEqual(warnings.slice(0, MAX_JOB_WARNINGS));
  });

  it('reports stitch.failed naming the clip when a fetch fails for good, and stores nothing', async () => {
    const failing = Object.assign(new Error('clip 2 (cdn.example) could not be fetched: 404'), { clipIndex: 1 });
    const { handler, calls, published, work } = fakes(undefined, async () => {
      throw failing;
    });
    await handler.handle(request(), work);
    expect(calls).toEqual(['failed']);
    expect(published).toEqual([{ topic: TOPICS.stitchFailed, key: 'job-1', body: { jobId: 'job-1', reason: failing.message, clipIndex: 1 } }]);
  });

  it('shows a stitch that stalls in its first second as started: its progress goes out when the second ends', async () => {
    jest.useFakeTimers();
    try {
      let arrive = () => undefined as void;
      const { handler, published, work } = fakes(undefined, async (_jobId, sources, dir, _signal, onProgress) => {
        onProgress(0.5);
        await new Promise<void>((resolve) => (arrive = resolve));
        return sources.map((_, index) => `${dir}/clip-${index}`);
      });
      const handled = handler.handle(request(), work);
      await jest.advanceTimersByTimeAsync(999);
      expect(published).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(published).toEqual([{ topic: TOPICS.stitchProgress, key: 'job-1', body: { jobId: 'job-1', phase: 'download', fraction: 0.125 } }]);
      arrive();
      await handled;
      expect(published.map((e) => e.topic)).toEqual([TOPICS.stitchProgress, TOPICS.stitchCompleted]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('publishes progress over the whole stitch, by phase, forward only', async () => {
    const { handler, published, work } = fakes(async (options) => {
      options.onProgress?.('normalise', 0.5);
      options.onProgress?.('join', 1);
      return report();
    });
    const clock = jest.spyOn(Date, 'now');
    let now = 0;
    clock.mockImplementation(() => (now += 5_000));
    try {
      await handler.handle(request(), work);
    } finally {
      clock.mockRestore();
    }
    const progress = published.filter((e) => e.topic === TOPICS.stitchProgress).map((e) => [e.body.phase, Math.round(e.body.fraction * 1000) / 1000]);
    expect(progress).toEqual([
      ['download', 0.125],
      ['download', 0.25],
      ['normalise', 0.425],
      ['join', 0.7],
      ['store', 0.9],
    ]);
  });
});
