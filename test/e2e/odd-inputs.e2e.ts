import { copyFile, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeJson, runFfmpeg } from '@vrs/media';
import { waitFor } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { probeStitched } from '../support/probe';
import { apiClient, createTenant, ensureServices, type ApiClient } from '../support/system';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const picture = (size: string, rate: string) => ({ source: `testsrc2=size=${size}:rate=${rate}:duration=2`, format: 'lavfi' as const });
const tone = (rate: number) => ({ source: `sine=frequency=440:sample_rate=${rate}:duration=2`, format: 'lavfi' as const });

/** Codecs and containers other encoders produce, beyond the shared samples: each 2 s. */
const FORMATS: Record<string, { inputs: ReturnType<typeof picture>[]; options: string[] }> = {
  'hevc-ac3-5.1.mkv': {
    inputs: [picture('320x240', '25'), tone(48000)],
    options: ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-c:a', 'ac3', '-ac', '6'],
  },
  'mpeg2-mp2.ts': { inputs: [picture('720x576', '25'), tone(48000)], options: ['-c:v', 'mpeg2video', '-c:a', 'mp2'] },
  'prores-pcm-mono-23.976.mov': {
    inputs: [picture('640x360', '24000/1001'), tone(44100)],
    options: ['-c:v', 'prores_ks', '-profile:v', '0', '-c:a', 'pcm_s16le', '-ac', '1'],
  },
  'mjpeg-u8-22k.avi': { inputs: [picture('320x240', '15'), tone(22050)], options: ['-c:v', 'mjpeg', '-q:v', '5', '-c:a', 'pcm_u8'] },
  'h264-silent.mp4': { inputs: [picture('320x240', '30')], options: ['-c:v', 'libx264', '-preset', 'ultrafast'] },
  // As a browser's MediaRecorder writes it: no duration in the file, the streams or tags.
  'vp8-opus-recorder.webm': {
    inputs: [picture('640x480', '30'), tone(48000)],
    options: ['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus', '-f', 'webm', '-live', '1'],
  },
};

describe('inputs from other encoders, through the HTTP API', () => {
  let dir: string;
  let media: MediaServer;
  let api: ApiClient;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    await ensureServices();
    dir = await mkdtemp(join(tmpdir(), 'odd-inputs-'));
    for (const [name, { inputs, options }] of Object.entries(FORMATS)) {
      await runFfmpeg({ inputs, output: join(dir, name), outputOptions: options });
    }
    await copyFile(join(dir, 'h264-silent.mp4'), join(dir, 'truncated.mp4'));
    await truncate(join(dir, 'truncated.mp4'), 3000);
    // Binary noise, fixed so ffprobe's guess is the same on every run.
    await writeFile(join(dir, 'garbage.mp4'), Buffer.from(Array.from({ length: 100_000 }, (_, i) => Math.imul(i, 2654435761) >>> 24)));
    await runFfmpeg({ inputs: [tone(48000)], output: join(dir, 'audio-only.mp3'), outputOptions: [] });
    await runFfmpeg({ inputs: [picture('320x240', '1')], output: join(dir, 'still.jpg'), outputOptions: ['-frames:v', '1'] });
    await writeFile(join(dir, 'empty.mp4'), '');
    await writeFile(join(dir, 'page.html'), '<!doctype html><html><body>Not found</body></html>');
    // 745 frames declared by an index at the front, media data cut after the first few seconds.
    await runFfmpeg({
      inputs: [{ source: 'testsrc2=size=160x120:rate=25:duration=29.8', format: 'lavfi' }],
      output: join(dir, 'index-promises-more.mp4'),
      outputOptions: ['-c:v', 'libx264', '-preset', 'ultrafast', '-movflags', '+faststart'],
    });
    await truncate(join(dir, 'index-promises-more.mp4'), Math.round((await stat(join(dir, 'index-promises-more.mp4'))).size * 0.15));
    // An MPEG-TS cut out of a stream between key pictures (one a second): 15% of its packets dropped from the front.
    await runFfmpeg({
      inputs: [picture('320x240', '25'), tone(48000)],
      output: join(dir, 'whole.ts'),
      outputOptions: ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', '-f', 'mpegts'],
    });
    const ts = await readFile(join(dir, 'whole.ts'));
    await writeFile(join(dir, 'mid-gop.ts'), ts.subarray(Math.floor((ts.length / 188) * 0.15) * 188));
    media = await serveDirectory(dir);
    hook = await startWebhookReceiver();
    api = apiClient((await createTenant('odd-inputs-e2e')).token);
  });
  afterAll(async () => {
    await hook?.close();
    await media.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stitches HEVC/MKV, MPEG-2/TS, ProRes/MOV, MJPEG/AVI, a silent clip and a browser recording into one correct MP4', async () => {
    const names = Object.keys(FORMATS);
    const created = await api.post('/jobs/join', { assets: names.map((name) => ({ type: 'video', src: media.url(name) })) });
    const job = await api.waitForEnd(created.body.id);
    expect(job.stats.error).toBeNull();
    expect(job.status).toBe('finished');
    const output = await probeStitched(job.outputUrl);
    expect([output.videoStreams, output.audioStreams, output.videoCodec, output.audioCodec]).toEqual([1, 1, 'h264', 'aac']);
    expect(Math.abs(output.duration - 2 * names.length)).toBeLessThanOrEqual((names.length - 1) / output.fps + 0.001);
    expect(Math.abs(output.videoDuration - output.audioDuration)).toBeLessThanOrEqual(0.1);
  });

  it.each([
    ['truncated.mp4', /clip 2 is damaged/],
    ['garbage.mp4', /clip 2 is not in a video format/],
    ['audio-only.mp3', /clip 2 has audio but no video/],
    ['still.jpg', /clip 2 is a still image/],
    ['empty.mp4', /clip 2 .*is empty/],
    ['page.html', /clip 2/],
    ['index-promises-more.mp4', /clip 2 decodes to only \d+\.\d{3} s of the 29\.800 s its container declares/],
  ])('ends in a clear error for %s', async (name, reason) => {
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('h264-silent.mp4') },
        { type: 'video', src: media.url(name) },
      ],
    });
    const job = await api.waitForEnd(created.body.id);
    expect(job.status).toBe('error');
    expect(job.stats.error).toMatch(reason);
  });

  it('finishes a TS that starts between key pictures with a warning in the job, its log and its webhook', async () => {
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('h264-silent.mp4') },
        { type: 'video', src: media.url('mid-gop.ts') },
      ],
      webhook: { url: `${hook.url}/mid-gop` },
    });
    const job = await api.waitForEnd(created.body.id);
    expect(job.status).toBe('finished');
    expect(job.warnings).toEqual([expect.stringMatching(/^clip 2 starts without a key picture: its first 0\.\d{3} s \(of \d\.\d{3} s\) could not be decoded/)]);
    const output = await probeStitched(job.outputUrl);
    expect(Math.abs(output.videoDuration - output.audioDuration)).toBeLessThanOrEqual(0.1);
    // The clip keeps its declared length (its head shows its first key picture): nothing is lost from the timeline.
    const declared = Number((await ffprobeJson(join(dir, 'mid-gop.ts'))).streams.find((s) => s.codec_type === 'video')?.duration);
    expect(Math.abs(output.videoDuration - (2 + declared))).toBeLessThanOrEqual(2 / output.fps + 0.001);
    expect(String((await api.get(`/jobs/${job.id}/logs`)).body)).toContain(`warning: ${job.warnings[0]}`);
    const delivered = await waitFor(() => hook.received.find((r) => r.path === '/mid-gop'), 30_000, 'the webhook');
    expect(JSON.parse(delivered.body)).toMatchObject({ id: job.id, status: 'finished', warnings: job.warnings });
  });

  it('shows no warnings on a job whose clips all decode whole', async () => {
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('h264-silent.mp4') },
        { type: 'video', src: media.url('whole.ts') },
      ],
    });
    const job = await api.waitForEnd(created.body.id);
    expect(job.status).toBe('finished');
    expect(job).not.toHaveProperty('warnings');
  });
});
