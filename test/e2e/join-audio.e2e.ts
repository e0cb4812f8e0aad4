import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeJson, runFfmpeg } from '@vrs/media';
import { decodeAudio } from '../../libs/media/test/media-fixtures';
import { toneAmplitude, videoPackets } from '../../libs/media/test/signal-measures';
import { ebur128Summary, makeRecordedClip } from '../../libs/media/test/sound-measures';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { apiClient, createTenant, ensureServices, type ApiClient } from '../support/system';

const MUSIC_HZ = 3000;

describe('join with a soundtrack and a loudness target, through HTTP, Kafka and every service', () => {
  let dir: string;
  let media: MediaServer;
  let api: ApiClient;
  let assets: Array<{ type: 'video'; src: string }>;

  beforeAll(async () => {
    await ensureServices();
    dir = await mkdtemp(join(tmpdir(), 'join-audio-e2e-'));
    // Recorded sound at very different loudness, 4 s each; 3 s of music (a tone), so it has to loop.
    await makeRecordedClip(dir, 'quiet', -24, 4);
    await makeRecordedClip(dir, 'loud', -13, 4);
    await runFfmpeg({
      inputs: [{ source: `sine=frequency=${MUSIC_HZ}:sample_rate=44100:duration=3`, format: 'lavfi' }],
      output: join(dir, 'music.mp3'),
      outputOptions: ['-c:a', 'libmp3lame', '-ac', '2'],
    });
    await writeFile(join(dir, 'page.mp3'), '<!doctype html><html><body>Not found</body></html>');
    media = await serveDirectory(dir);
    api = apiClient((await createTenant('join-audio-e2e')).token);
    assets = ['quiet.mp4', 'loud.mp4', 'quiet.mp4'].map((name) => ({ type: 'video', src: media.url(name) }));
  });
  afterAll(async () => {
    await media.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function download(url: string, name: string): Promise<string> {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const path = join(dir, name);
    await writeFile(path, Buffer.from(await response.arrayBuffer()));
    return path;
  }

  it('mixes the music in across the whole output and lands on the loudness target, the picture copied from the plain join', async () => {
    const settings = {
      loudness: { integrated: -16, truePeak: -1 },
      soundtrack: { src: media.url('music.mp3'), volume: 0.3, fadeOut: 1, duck: true },
    };
    const [plainCreated, finishedCreated] = await Promise.all([api.post('/jobs/join', { assets }), api.post('/jobs/join', { assets, settings })]);
    expect([plainCreated.status, finishedCreated.status]).toEqual([201, 201]);
    const [plainJob, job] = await Promise.all([api.waitForEnd(plainCreated.body.id, 180_000), api.waitForEnd(finishedCreated.body.id, 180_000)]);
    expect(plainJob.status).toBe('finished');
    expect(job).toMatchObject({ status: 'finished', progress: 100, stats: { error: null } });
    expect(media.requests).toContain('/music.mp3');

    const [plain, output] = await Promise.all([download(plainJob.outputUrl, 'plain.mp4'), download(job.outputUrl, 'output.mp4')]);
    const whole = await ebur128Summary(output);
    expect(Math.abs(whole.integrated - -16)).toBeLessThanOrEqual(1);
    expect(whole.truePeak).toBeLessThanOrEqual(-1);
    // The plain join keeps the clips 11 LU apart; the finished one has them within 1 LU.
    const [quiet, loud] = await Promise.all([ebur128Summary(output, 0.5, 3), ebur128Summary(output, 4.5, 3)]);
    expect(Math.abs(quiet.integrated - loud.integrated)).toBeLessThanOrEqual(1);
    expect((await ebur128Summary(plain, 4.5, 3)).integrated - (await ebur128Summary(plain, 0.5, 3)).integrated).toBeGreaterThan(9);

    const pcm = await decodeAudio(output, dir);
    for (let at = 0; at < 10.9; at += 0.1) expect(toneAmplitude(pcm, at, at + 0.1, MUSIC_HZ)).toBeGreaterThan(0.001);
    expect(toneAmplitude(pcm, 11.95, 12, MUSIC_HZ)).toBeLessThan(toneAmplitude(pcm, 10, 10.5, MUSIC_HZ) / 10);
    expect(toneAmplitude(await decodeAudio(plain, dir), 0, 12, MUSIC_HZ)).toBeLessThan(0.0005);

    expect(await videoPackets(output)).toEqual(await videoPackets(plain));
    const [plainAudio, outputAudio] = await Promise.all([audioDuration(plain), audioDuration(output)]);
    expect(Math.abs(outputAudio - plainAudio)).toBeLessThanOrEqual(0.001);
  }, 300_000);

  it.each([
    ['cannot be fetched (404)', 'missing.mp3', /^settings\.soundtrack\.src \(127\.0\.0\.1:\d+\) could not be fetched: The server answered 404/],
    ['is not audio (an HTML page)', 'page.mp3', /^The soundtrack \(settings\.soundtrack\.src\) is an HTML page, not audio/],
  ])(
    'ends the job in error naming settings.soundtrack.src when the music %s',
    async (_, name, reason) => {
      const created = await api.post('/jobs/join', { assets: assets.slice(0, 2), settings: { soundtrack: { src: media.url(name) } } });
      expect(created.status).toBe(201);
      const job = await api.waitForEnd(created.body.id, 120_000);
      expect(job.status).toBe('error');
      expect(job.stats.error).toMatch(reason);
    },
    180_000,
  );
});

/** The sound's length as its track declares it (ffprobe, nothing decoded). */
async function audioDuration(path: string): Promise<number> {
  return Number((await ffprobeJson(path)).streams.find((s) => s.codec_type === 'audio')?.duration);
}
