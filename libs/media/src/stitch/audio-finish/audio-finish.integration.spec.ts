import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio, makeClip, outputFacts } from '../../../test/media-fixtures';
import { toneAmplitude, videoPackets } from '../../../test/signal-measures';
import { ebur128Summary, makeRecordedClip } from '../../../test/sound-measures';
import { runFfmpeg } from '../../ffmpeg/ffmpeg-runner';
import { MediaError } from '../media-error';
import { stitchClips, StitchReport } from '../stitch-clips';
import { AudioFinishJob, finishAudio } from './audio-finish';

describe('finishAudio: loudness and soundtrack on a joined file (real ffmpeg, measured with ebur128)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audio-finish-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Joins the clips the way a job does and returns the joined file with where each clip plays. */
  async function join2(name: string, clips: string[]): Promise<{ path: string; report: StitchReport }> {
    const path = join(dir, `${name}-joined.mp4`);
    const report = await stitchClips({ inputs: clips, outputPath: path, workDir: dir });
    return { path, report };
  }
  const spans = (report: StitchReport) => report.clips.map((c) => ({ startSec: c.startSec, durationSec: c.durationSec }));

  async function expectVideoCopiedAndLengthKept(joined: string, finished: string) {
    expect(await videoPackets(finished)).toEqual(await videoPackets(joined));
    const [before, after] = await Promise.all([outputFacts(joined), outputFacts(finished)]);
    expect(after).toMatchObject({ videoStreams: 1, audioStreams: 1, nonMonotonicStreams: 0, moovBeforeMdat: true });
    expect(after.videoSec).toBe(before.videoSec);
    expect(Math.abs(after.audioSec - before.audioSec)).toBeLessThanOrEqual(0.001);
  }

  it('brings a -24 LUFS clip next to a -13 LUFS one to the target: the whole within 1 LU, true peak under, both clips even', async () => {
    const quiet = await makeRecordedClip(dir, 'quiet', -24, 6);
    const loud = await makeRecordedClip(dir, 'loud', -13, 6);
    expect((await ebur128Summary(quiet)).integrated).toBeCloseTo(-24, 0);
    expect((await ebur128Summary(loud)).integrated).toBeCloseTo(-13, 0);
    const { path, report } = await join2('levels', [quiet, loud]);
    expect(report.method).toBe('copy-join');

    const outputPath = join(dir, 'levels-16.mp4');
    const workDir = mkdtempSync(join(dir, 'work-'));
    const result = await finishAudio({ input: path, outputPath, workDir, clips: spans(report), loudness: { integrated: -16, truePeak: -1 } });

    const whole = await ebur128Summary(outputPath);
    expect(Math.abs(whole.integrated - -16)).toBeLessThanOrEqual(1);
    expect(whole.truePeak).toBeLessThanOrEqual(-1);
    const [first, second] = await Promise.all([ebur128Summary(outputPath, 0.5, 5), ebur128Summary(outputPath, 6.5, 5)]);
    expect(Math.abs(first.integrated - second.integrated)).toBeLessThanOrEqual(1);
    expect(result).toMatchObject({ warnings: [] });
    expect(Math.abs(result.loudness!.integratedLufs - whole.integrated)).toBeLessThanOrEqual(0.1);
    await expectVideoCopiedAndLengthKept(path, outputPath);
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('limits the peaks of a quiet, peaky clip that a plain gain would push past the ceiling, and still lands on the target', async () => {
    // Plucks decaying 40x a second: ~16 dB between loudness and peaks, where speech has 12-18.
    const plucks = await makeClip(dir, 'plucks', {
      durationSec: 8,
      audio: { source: "aevalsrc='0.45*sin(2*PI*110*t)*exp(-40*mod(t\\,0.5))+0.005*sin(2*PI*523*t)'" },
    });
    const before = await ebur128Summary(plucks);
    expect(before.truePeak - before.integrated).toBeGreaterThan(14);
    const { path, report } = await join2('plucks', [plucks]);
    const outputPath = join(dir, 'plucks-16.mp4');
    const result = await finishAudio({ input: path, outputPath, workDir: dir, clips: spans(report), loudness: { integrated: -16, truePeak: -1 } });

    const after = await ebur128Summary(outputPath);
    expect(before.truePeak + (-16 - before.integrated)).toBeGreaterThan(-1); // a plain gain would pass the ceiling
    expect(Math.abs(after.integrated - -16)).toBeLessThanOrEqual(1);
    expect(after.truePeak).toBeLessThanOrEqual(-1);
    expect(result.warnings).toEqual([]);
    await expectVideoCopiedAndLengthKept(path, outputPath);
  });

  it('reaches another target (-23 LUFS, -2 dBTP) on the same uneven pair', async () => {
    const quiet = await makeRecordedClip(dir, 'quiet-b', -24, 4);
    const loud = await makeRecordedClip(dir, 'loud-b', -13, 4);
    const { path, report } = await join2('levels-b', [loud, quiet, loud]);
    const outputPath = join(dir, 'levels-23.mp4');
    await finishAudio({ input: path, outputPath, workDir: dir, clips: spans(report), loudness: { integrated: -23, truePeak: -2 } });
    const whole = await ebur128Summary(outputPath);
    expect(Math.abs(whole.integrated - -23)).toBeLessThanOrEqual(1);
    expect(whole.truePeak).toBeLessThanOrEqual(-2);
    const middle = await ebur128Summary(outputPath, 4.5, 3);
    expect(Math.abs(middle.integrated - -23)).toBeLessThanOrEqual(1);
  });

  describe('soundtrack', () => {
    const TONE_HZ = 1000;
    const CLIP_HZ = 440;
    let joined: { path: string; report: StitchReport };
    let music: string;
    let toneLevel: number;
    beforeAll(async () => {
      // Tone, silence, tone: 3 s each; the music is a 1.5 s MP3 of another tone, so it has to loop.
      const tone = await makeClip(dir, 'tone', { durationSec: 3 });
      const hush = await makeClip(dir, 'hush', { durationSec: 3, audio: { source: 'anullsrc=channel_layout=stereo' } });
      joined = await join2('tones', [tone, hush, tone]);
      music = join(dir, 'music.mp3');
      await runFfmpeg({
        inputs: [{ source: `sine=frequency=${TONE_HZ}:sample_rate=44100:duration=1.5`, format: 'lavfi' }],
        output: music,
        outputOptions: ['-c:a', 'libmp3lame', '-b:a', '128k', '-ac', '2'],
      });
      toneLevel = toneAmplitude(await decodeAudio(music, dir), 0.2, 1.2, TONE_HZ);
    });
    const finish = async (name: string, extra: Partial<AudioFinishJob>) => {
      const outputPath = join(dir, `${name}.mp4`);
      const result = await finishAudio({ input: joined.path, outputPath, workDir: dir, clips: spans(joined.report), ...extra });
      return { outputPath, result, pcm: await decodeAudio(outputPath, dir) };
    };
    const windows = (fromSec: number, toSec: number) => Array.from({ length: Math.round((toSec - fromSec) / 0.1) }, (_, i) => fromSec + i * 0.1);

    it('plays the music, looped, across the whole join at its volume, fading to silence over the last seconds', async () => {
      const { outputPath, pcm } = await finish('music', { soundtrack: { path: music, volume: 0.5, fadeOutSec: 1, duck: false } });
      for (const at of windows(0, 8)) expect(toneAmplitude(pcm, at, at + 0.1, TONE_HZ) / (0.5 * toneLevel)).toBeGreaterThan(0.85);
      for (const at of windows(0, 8)) expect(toneAmplitude(pcm, at, at + 0.1, TONE_HZ) / (0.5 * toneLevel)).toBeLessThan(1.1);
      expect(toneAmplitude(pcm, 8.4, 8.5, TONE_HZ)).toBeLessThan(toneAmplitude(pcm, 8.0, 8.1, TONE_HZ));
      expect(toneAmplitude(pcm, 8.95, 9, TONE_HZ) / (0.5 * toneLevel)).toBeLessThan(0.05);
      // The clips' own sound is still there, unchanged.
      const original = await decodeAudio(joined.path, dir);
      expect(toneAmplitude(pcm, 1, 2, CLIP_HZ) / toneAmplitude(original, 1, 2, CLIP_HZ)).toBeCloseTo(1, 1);
      await expectVideoCopiedAndLengthKept(joined.path, outputPath);
    });

    it("ducks the music under the clips' sound and brings it back in their silence", async () => {
      const { outputPath, pcm } = await finish('ducked', { soundtrack: { path: music, volume: 0.5, fadeOutSec: 0, duck: true } });
      const under = toneAmplitude(pcm, 0.5, 2.5, TONE_HZ);
      const free = toneAmplitude(pcm, 4, 5.5, TONE_HZ);
      expect(free / under).toBeGreaterThan(3); // ~10 dB or more
      expect(free / (0.5 * toneLevel)).toBeGreaterThan(0.85);
      expect(toneAmplitude(pcm, 6.5, 8.5, TONE_HZ)).toBeLessThan(free / 3);
      expect(toneAmplitude(pcm, 8.9, 9, TONE_HZ)).toBeGreaterThan(0); // no fade asked: still playing at the end
      await expectVideoCopiedAndLengthKept(joined.path, outputPath);
    });

    it('trims a soundtrack longer than the join, then normalises the mix to the loudness target', async () => {
      const long = join(dir, 'long.m4a');
      await runFfmpeg({
        inputs: [{ source: `sine=frequency=${TONE_HZ}:sample_rate=48000:duration=20`, format: 'lavfi' }],
        output: long,
        outputOptions: ['-c:a', 'aac', '-ac', '2'],
      });
      const { outputPath, pcm, result } = await finish('music-loud', {
        soundtrack: { path: long, volume: 0.25, fadeOutSec: 2, duck: true },
        loudness: { integrated: -16, truePeak: -1 },
      });
      const whole = await ebur128Summary(outputPath);
      expect(Math.abs(whole.integrated - -16)).toBeLessThanOrEqual(1);
      expect(whole.truePeak).toBeLessThanOrEqual(-1);
      expect(result.warnings).toEqual([]);
      for (const at of windows(0, 7)) expect(toneAmplitude(pcm, at, at + 0.1, TONE_HZ)).toBeGreaterThan(0.002);
      expect(toneAmplitude(pcm, 8.95, 9, TONE_HZ)).toBeLessThan(0.05 * toneAmplitude(pcm, 4, 5, TONE_HZ));
      await expectVideoCopiedAndLengthKept(joined.path, outputPath);
    });

    it.each([
      ['an HTML page', 'page.mp3', () => '<!doctype html><html><body>Not found</body></html>', 'not_media', /is an HTML page, not audio/],
      [
        'bytes that are not media',
        'noise.mp3',
        () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)),
        'not_media',
        /could not be read as audio/,
      ],
      ['an empty file', 'empty.mp3', () => '', 'empty_file', /is empty/],
    ])('fails naming settings.soundtrack.src when it is %s', async (_, name, bytes, code, message) => {
      const path = join(dir, name);
      writeFileSync(path, bytes());
      const error = await finish(`bad-${name}`, { soundtrack: { path, volume: 0.5, fadeOutSec: 1, duck: false } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MediaError);
      expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
      expect((error as Error).message).toContain('settings.soundtrack.src');
    });

    it('fails naming settings.soundtrack.src when it has no audio stream', async () => {
      const silentVideo = await makeClip(dir, 'picture-only', { audio: false });
      const error = await finish('bad-video', { soundtrack: { path: silentVideo, volume: 0.5, fadeOutSec: 1, duck: false } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'no_audio', message: expect.stringContaining('The soundtrack (settings.soundtrack.src) has no audio stream') });
    });
  });

  it('leaves a silent join as it is, saying why, instead of raising its noise floor to the target', async () => {
    const hush = await makeClip(dir, 'hush-only', { durationSec: 2, audio: { source: 'anullsrc=channel_layout=stereo' } });
    const { path, report } = await join2('hush', [hush, hush]);
    const outputPath = join(dir, 'hush-16.mp4');
    const result = await finishAudio({ input: path, outputPath, workDir: dir, clips: spans(report), loudness: { integrated: -16, truePeak: -1 } });
    expect(result.warnings).toEqual(['The joined sound is silent (nothing above -70 LUFS), so settings.loudness was not applied.']);
    await expectVideoCopiedAndLengthKept(path, outputPath);
  });
});
