import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffprobeJson } from '@vrs/media';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { probeStitched } from '../support/probe';
import { apiClient, createTenant, ensureServices, REPO_ROOT, SAMPLE_MEDIA, type ApiClient } from '../support/system';

const CLIPS = ['video.mp4', 'sar_2x1.mp4', 'frames.webm', 'edts.mp4'];

describe('join job of existing videos, through HTTP, Kafka and every service', () => {
  let media: MediaServer;
  let api: ApiClient;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    api = apiClient((await createTenant('join-e2e')).token);
  });
  afterAll(() => media.close());

  const inputDuration = async (name: string) => Number((await ffprobeJson(`${SAMPLE_MEDIA}/${name}`)).format.duration);

  it.each([
    ['as listed', CLIPS],
    ['reversed', [...CLIPS].reverse()],
    ['silent clip first', ['sar_2x1.mp4', 'video.mp4', 'edts.mp4', 'frames.webm']],
  ])('stitches the four real-world clips %s into one correct MP4', async (_, order) => {
    const created = await api.post('/jobs/join', { assets: order.map((name) => ({ type: 'video', src: media.url(name) })) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), status: 'queued', outputUrl: expect.stringContaining(created.body.id) });
    expect(created.headers.get('x-request-id')).toBeTruthy();

    const job = await api.waitForEnd(created.body.id);
    expect(job).toMatchObject({ id: created.body.id, type: 'join', status: 'finished', progress: 100, outputUrl: created.body.outputUrl });
    expect(job.stats).toMatchObject({ createdAt: expect.any(String), startedAt: expect.any(String), finishedAt: expect.any(String), error: null });

    const expected = (await Promise.all(order.map(inputDuration))).reduce((a, b) => a + b, 0);
    const output = await probeStitched(job.outputUrl);
    expect(output.videoStreams).toBe(1);
    expect(output.audioStreams).toBe(1);
    expect(output.videoCodec).toBe('h264');
    expect(output.audioCodec).toBe('aac');
    expect(output.faststart).toBe(true);
    const frame = 1 / output.fps;
    expect(Math.abs(output.duration - expected)).toBeLessThanOrEqual(frame * (order.length - 1) + 0.001);
    expect(Math.abs(output.videoDuration - output.audioDuration)).toBeLessThanOrEqual(0.1);
  });

  it('serves the output with range requests so players can seek', async () => {
    const created = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('video.mp4') }] });
    const job = await api.waitForEnd(created.body.id);
    expect(job.status).toBe('finished');
    const whole = await fetch(job.outputUrl);
    const size = Number(whole.headers.get('content-length'));
    await whole.arrayBuffer();
    const part = await fetch(job.outputUrl, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const forged = await fetch(job.outputUrl.replace(/sig=[^&]+/, 'sig=forged'));
    expect(forged.status).toBe(404);
    const beyond = await fetch(job.outputUrl, { headers: { range: `bytes=${size}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await beyond.json()).toMatchObject({ error: expect.stringContaining(`${size} bytes`) });
  });

  it('shrugs off a player that hangs up mid-download', async () => {
    const created = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('video.mp4') }] });
    const job = await api.waitForEnd(created.body.id);
    const gatewayErrors = () =>
      readFileSync(join(REPO_ROOT, '.var/log/gateway.log'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"level":"error"')).length;
    const errorsBefore = gatewayErrors();
    for (let i = 0; i < 5; i++) {
      const hangUp = new AbortController();
      const response = await fetch(job.outputUrl, { signal: hangUp.signal });
      await response.body!.getReader().read();
      hangUp.abort();
    }
    const again = await fetch(job.outputUrl, { headers: { range: 'bytes=0-9' } });
    expect(again.status).toBe(206);
    expect((await again.arrayBuffer()).byteLength).toBe(10);
    expect((await api.get('/health')).status).toBe(200);
    expect(gatewayErrors()).toBe(errorsBefore);
  });

  it.each([
    ['a missing file (404)', 'missing.mp4', /clip 2 .*404/],
    ['a file that is not media', 'README.md', /clip 2/],
  ])('ends in error naming the clip when it gets %s', async (_, name, reason) => {
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('video.mp4') },
        { type: 'video', src: media.url(name) },
      ],
    });
    const job = await api.waitForEnd(created.body.id);
    expect(job.status).toBe('error');
    expect(job.stats.error).toMatch(reason);
    expect(job.stats.errorAt).toEqual(expect.any(String));
    const logs = await api.get(`/jobs/${created.body.id}/logs`);
    expect(logs.status).toBe(200);
    expect(logs.body).toMatch(/\[error\]/);
  });

  it('keeps tenants apart: another tenant sees 404, never 403', async () => {
    const created = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('video.mp4') }] });
    const stranger = apiClient((await createTenant('stranger')).token);
    expect((await stranger.get(`/jobs/${created.body.id}`)).status).toBe(404);
    expect((await stranger.get(`/jobs/${created.body.id}/logs`)).status).toBe(404);
    expect((await stranger.patch(`/jobs/${created.body.id}/cancel`)).status).toBe(404);
    const list = await stranger.get('/jobs');
    expect(list.body.jobs.map((j: { id: string }) => j.id)).not.toContain(created.body.id);
    await api.waitForEnd(created.body.id);
  });

  it("lists the tenant's jobs by state, and refuses to cancel a finished job with 409", async () => {
    const created = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('video.mp4') }] });
    await api.waitForEnd(created.body.id);
    const finished = await api.get('/jobs?states=finished&limit=1000');
    expect(finished.status).toBe(200);
    expect(finished.body.jobs.map((j: { id: string }) => j.id)).toContain(created.body.id);
    expect(finished.body.jobs.every((j: { status: string }) => j.status === 'finished')).toBe(true);
    expect((await api.patch(`/jobs/${created.body.id}/cancel`)).status).toBe(409);
  });

  it('cancels a running job', async () => {
    const created = await api.post('/jobs/join', { assets: Array.from({ length: 8 }, (_, i) => ({ type: 'video', src: media.url(CLIPS[i % 4]) })) });
    const cancel = await api.patch(`/jobs/${created.body.id}/cancel`);
    expect(cancel.status).toBe(202);
    const job = await api.waitForEnd(created.body.id);
    expect(job.status).toBe('manually_cancelled');
  });
});
