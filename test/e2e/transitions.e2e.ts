import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg } from '@vrs/media';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { probeStitched } from '../support/probe';
import { apiClient, createTenant, ensureServices, type ApiClient } from '../support/system';

/**
 * Transitions through the whole system: a crossfade from the job's settings, a fade from a clip's own
 * transition, measured on the output the job points at; the job says the overlap; a transition too long
 * for its clip ends the job naming the field.
 */
describe('join with transitions, through HTTP, Kafka and every service', () => {
  let dir: string;
  let media: MediaServer;
  let api: ApiClient;

  /** 3 s of one colour and one tone, a key picture every second (as clips from one pipeline). */
  const clip = (name: string, colour: string, hz: number, seconds = 3) =>
    runFfmpeg({
      inputs: [
        { source: `color=c=${colour}:size=320x240:rate=25:duration=${seconds}`, format: 'lavfi' },
        { source: `sine=frequency=${hz}:sample_rate=48000:duration=${seconds}`, format: 'lavfi' },
      ],
      output: join(dir, name),
      outputOptions: ['-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'],
    });

  beforeAll(async () => {
    await ensureServices();
    dir = await mkdtemp(join(tmpdir(), 'transitions-e2e-'));
    await Promise.all([clip('red.mp4', 'red', 440), clip('blue.mp4', 'blue', 1000), clip('green.mp4', 'green', 660), clip('short.mp4', 'white', 550, 2)]);
    media = await serveDirectory(dir);
    api = apiClient((await createTenant('transitions-e2e')).token);
  });
  afterAll(async () => {
    await media.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The mean colour of the picture at `atSec` of a downloaded output. */
  async function colourAt(file: string, atSec: number): Promise<{ r: number; g: number; b: number }> {
    const raw = join(dir, `frame-${atSec}.rgb`);
    await runFfmpeg({
      inputs: [{ source: file, options: ['-ss', String(atSec)] }],
      output: raw,
      outputOptions: ['-frames:v', '1', '-pix_fmt', 'rgb24', '-f', 'rawvideo'],
    });
    const bytes = await readFile(raw);
    const sum = [0, 0, 0];
    bytes.forEach((value, i) => {
      sum[i % 3] += value;
    });
    const pixels = bytes.length / 3;
    return { r: sum[0] / pixels, g: sum[1] / pixels, b: sum[2] / pixels };
  }

  it('crossfades where the job says, fades where a clip says, and the job reports the overlap', async () => {
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('red.mp4') },
        { type: 'video', src: media.url('blue.mp4'), transition: { type: 'fade', duration: 1 } },
        { type: 'video', src: media.url('green.mp4') },
      ],
      settings: { transition: { type: 'crossfade', duration: 1 } },
    });
    expect(created.status).toBe(201);
    const job = await api.waitForEnd(created.body.id);
    expect(job).toMatchObject({ status: 'finished', overlapSec: 1 });

    // 3 + 3 + 3 s less the one crossfade; the fade overlaps nothing.
    const output = await probeStitched(job.outputUrl);
    expect(output.videoDuration).toBeCloseTo(8, 2);
    expect(Math.abs(output.audioDuration - output.videoDuration)).toBeLessThanOrEqual(0.05);
    const file = join(dir, 'output.mp4');
    await writeFile(file, output.bytes);
    // Red and blue overlap over 2..3 s; blue fades to black at 5 s, green comes up from it.
    const [red, mixed, blue, black, green] = await Promise.all([1, 2.5, 4, 4.96, 6.5].map((t) => colourAt(file, t)));
    expect(red.r).toBeGreaterThan(200);
    expect(mixed.r).toBeGreaterThan(80);
    expect(mixed.b).toBeGreaterThan(80);
    expect(mixed.r).toBeLessThan(180);
    expect(blue.b).toBeGreaterThan(200);
    expect(black.r + black.g + black.b).toBeLessThan(10);
    expect(green.g).toBeGreaterThan(100);
  });

  it('ends the job naming the transition when a clip is too short for it', async () => {
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('red.mp4'), transition: { type: 'crossfade', duration: 2.5 } },
        { type: 'video', src: media.url('short.mp4') },
      ],
    });
    expect(created.status).toBe(201);
    const job = await api.waitForEnd(created.body.id);
    expect(job.status).toBe('error');
    expect(job.stats.error).toContain(
      'assets[0].transition.duration: a 2.5 s crossfade needs 2.5 s of clip 2, but clip 2 lasts 2.000 s; use at most 2.000 s there',
    );
  });

  it('refuses a transition on the last clip with a 400 naming it', async () => {
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('red.mp4') },
        { type: 'video', src: media.url('blue.mp4'), transition: { type: 'fade', duration: 1 } },
      ],
    });
    expect(created.status).toBe(400);
    expect(JSON.stringify(created.body)).toContain('assets[1].transition');
  });
});
