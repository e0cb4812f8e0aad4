import { randomUUID } from 'node:crypto';
import { joinJobBody, TOPICS } from '@vrs/contracts';
import { orchestratorHarness, type OrchestratorHarness } from '../../testing/orchestrator-harness';

// A join's output settings are stored with the job and sent on with its stitch, clip transitions on their clips.
describe('join settings reach the stitch (real PostgreSQL)', () => {
  let h: OrchestratorHarness;
  beforeAll(async () => { h = await orchestratorHarness('vrs_orchestrator_join_settings_spec'); });
  afterAll(() => h.close());

  const stitchRequest = async (id: string) => (await h.published([id], TOPICS.stitchRequested)).map((e) => e.payload);

  it('stores the settings and sends them, and each clip its own transition, on stitch.requested', async () => {
    const id = `js-${randomUUID().slice(0, 12)}`;
    const { assets, settings } = joinJobBody().parse({
      assets: [{ type: 'video', src: 'http://127.0.0.1:9/a.mp4', transition: { type: 'crossfade', duration: 0.5 } }, { type: 'video', src: 'http://127.0.0.1:9/b.mp4' }],
      settings: { output: { aspect: '9:16', fps: 30 }, transition: { type: 'fade', duration: 1 }, poster: { at: 1 }, thumbnails: {} },
    });
    await h.join(id, 't', assets, settings);
    expect((await h.job(id))!.settings).toEqual(settings);
    const [request] = await stitchRequest(id);
    expect(request.settings).toEqual({
      output: { aspect: '9:16', fps: 30, fit: 'contain' }, transition: { type: 'fade', duration: 1 }, poster: { at: 1 }, thumbnails: { every: 5, width: 160 },
    });
    expect(request.clips).toEqual([
      { src: 'http://127.0.0.1:9/a.mp4', transition: { type: 'crossfade', duration: 0.5 } }, { src: 'http://127.0.0.1:9/b.mp4' },
    ]);
  });

  it('sends a plain join exactly as before: no settings, no transitions', async () => {
    const id = `js-${randomUUID().slice(0, 12)}`;
    await h.join(id, 't', [{ type: 'video', src: 'http://127.0.0.1:9/a.mp4' }]);
    expect((await h.job(id))!.settings).toBeNull();
    const [request] = await stitchRequest(id);
    expect(Object.keys(request).sort()).toEqual(['clips', 'eventId', 'jobId', 'occurredAt', 'outputKey', 'schemaVersion', 'tenantId']);
    expect(request.clips).toEqual([{ src: 'http://127.0.0.1:9/a.mp4' }]);
  });
});
