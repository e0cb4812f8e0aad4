import { randomUUID } from 'node:crypto';
import { jobPosterKey, jobThumbnailsKey, joinJobBody, TOPICS } from '@vrs/contracts';
import { statusEventKeys } from '../../infrastructure/status-event-keys';
import { eventOf, orchestratorHarness, type OrchestratorHarness } from '../../testing/orchestrator-harness';

// A join's output settings are stored with the job and sent on with its stitch, clip transitions on their clips.
describe('join settings reach the stitch (real PostgreSQL)', () => {
  let h: OrchestratorHarness;
  beforeAll(async () => {
    h = await orchestratorHarness('vrs_orchestrator_join_settings_spec');
  });
  afterAll(() => h.close());

  const stitchRequest = async (id: string) => (await h.published([id], TOPICS.stitchRequested)).map((e) => e.payload);

  it('stores the settings and sends them, and each clip its own transition, on stitch.requested', async () => {
    const id = `js-${randomUUID().slice(0, 12)}`;
    const { assets, settings } = joinJobBody().parse({
      assets: [
        { type: 'video', src: 'http://127.0.0.1:9/a.mp4', transition: { type: 'crossfade', duration: 0.5 } },
        { type: 'video', src: 'http://127.0.0.1:9/b.mp4' },
      ],
      settings: { output: { aspect: '9:16', fps: 30 }, transition: { type: 'fade', duration: 1 }, poster: { at: 1 }, thumbnails: {} },
    });
    await h.join(id, 't', assets, settings);
    expect((await h.job(id))!.settings).toEqual(settings);
    const [request] = await stitchRequest(id);
    expect(request.settings).toEqual({
      output: { aspect: '9:16', fps: 30, fit: 'contain' },
      transition: { type: 'fade', duration: 1 },
      poster: { at: 1 },
      thumbnails: { every: 5, width: 160 },
    });
    expect(request.clips).toEqual([{ src: 'http://127.0.0.1:9/a.mp4', transition: { type: 'crossfade', duration: 0.5 } }, { src: 'http://127.0.0.1:9/b.mp4' }]);
  });

  it('keeps what the stitch made of them and shows it, signed, on the finished status event', async () => {
    const id = `js-${randomUUID().slice(0, 12)}`;
    const { assets, settings } = joinJobBody().parse({
      assets: [{ type: 'video', src: 'http://127.0.0.1:9/a.mp4' }],
      settings: { poster: {}, thumbnails: {} },
    });
    await h.join(id, 't', assets, settings);
    await h.stitch.completed(
      eventOf(TOPICS.stitchCompleted, {
        jobId: id,
        outputKey: `${id}.mp4`,
        durationSec: 8.5,
        sizeBytes: 1000,
        overlapSec: 1.5,
        posterKey: jobPosterKey(id),
        thumbnailsKey: jobThumbnailsKey(id),
      }),
      h.work,
    );
    expect(await h.job(id)).toMatchObject({ status: 'finished', posterKey: `${id}.poster.jpg`, thumbnailsKey: `${id}.thumbnails.vtt`, overlapSec: 1.5 });
    const finished = (await h.published([id], TOPICS.jobStatusChanged)).map((e) => e.payload).find((p) => p.status === 'finished')!;
    // Signed like outputUrl, with the public base and secret status events use.
    const urls = statusEventKeys().publicUrls;
    expect(finished.outputUrl).toBe(urls.urlFor(`${id}.mp4`));
    expect(finished).toMatchObject({
      posterKey: jobPosterKey(id),
      posterUrl: urls.urlFor(jobPosterKey(id)),
      thumbnailsKey: jobThumbnailsKey(id),
      thumbnailsUrl: urls.urlFor(jobThumbnailsKey(id)),
      overlapSec: 1.5,
    });
    expect(finished.logLine).toBe('finished: 8.500 s, 1000 bytes, 1.500 s shorter than the clips together (crossfades), with poster and thumbnails');
  });

  it('sends a plain join exactly as before: no settings, no transitions', async () => {
    const id = `js-${randomUUID().slice(0, 12)}`;
    await h.join(id, 't', [{ type: 'video', src: 'http://127.0.0.1:9/a.mp4' }]);
    expect((await h.job(id))!.settings).toBeNull();
    const [request] = await stitchRequest(id);
    expect(Object.keys(request).sort()).toEqual(['clips', 'eventId', 'jobId', 'occurredAt', 'outputKey', 'schemaVersion', 'tenantId']);
    expect(request.clips).toEqual([{ src: 'http://127.0.0.1:9/a.mp4' }]);
    await h.stitch.completed(eventOf(TOPICS.stitchCompleted, { jobId: id, outputKey: `${id}.mp4`, durationSec: 2, sizeBytes: 10 }), h.work);
    const finished = (await h.published([id], TOPICS.jobStatusChanged)).map((e) => e.payload).find((p) => p.status === 'finished')!;
    for (const field of ['posterKey', 'posterUrl', 'thumbnailsKey', 'thumbnailsUrl', 'overlapSec']) expect(finished).not.toHaveProperty(field);
  });
});
