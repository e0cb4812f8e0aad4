import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio, makeClip, pictureTimes } from '../../test/media-fixtures';
import { runFfmpeg } from '../ffmpeg/ffmpeg-runner';
import { MediaError } from './media-error';
import { stitchClips, StitchPhase } from './stitch-clips';
import { verifyOutput } from './verify-output';

describe('stitchClips: sync, failures, cancellation and progress (real ffmpeg)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stitch-behaviour-'));
  let plain: string;
  let silent: string;
  beforeAll(async () => {
    plain = await makeClip(dir, 'plain');
    silent = await makeClip(dir, 'silent', { size: '320x240', fps: 25, audio: false });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps audio in sync across many joins of identical clips (no per-join priming drift)', async () => {
    // A 50 ms click at 0.5 s into every clip: after the joins it must still start at k*2 + 0.5 s.
    const beep = await makeClip(dir, 'beep', { audio: { source: "aevalsrc='if(between(t\\,0.5\\,0.55)\\,0.5*sin(2*PI*1000*t)\\,0)'" } });
    // The general path rebuilds the sound as one track: exact. The copy join copies AAC frames, which sit on
    // the first clip's frame grid: each clip's sound within half a frame (512 samples) of its picture.
    for (const [method, tolerance] of [
      ['copy-join', 512 / 48000 + 0.003],
      ['general', 0.003],
    ] as const) {
      const workDir = mkdtempSync(join(dir, 'work-'));
      const output = join(dir, `beeps-${method}.mp4`);
      const report = await stitchClips({
        inputs: Array(6).fill(beep),
        outputPath: output,
        workDir,
        ...(method === 'general' && { target: { audioChannels: 1 } }),
      });
      expect(report.method).toBe(method);
      expect(report.clips.every((c) => c.action === 'copy')).toBe(true);
      const pcm = await decodeAudio(output, dir);
      const pictures = await pictureTimes(output);
      for (const [k, clip] of report.clips.entries()) {
        // Pictures keep their rate: clip k's first picture comes exactly k × 2 s after the first one...
        expect(clip.startSec).toBeCloseTo(k * 2, 6);
        expect(pictures.some((t) => Math.abs(t - pictures[0] - k * 2) < 0.0005)).toBe(true);
        // ...and its click sounds 0.5 s later, the offset never adding up from join to join.
        const from = Math.round((k * 2 + 0.4) * 48000);
        const onset = pcm.subarray(from, from + 9600).findIndex((s) => Math.abs(s) > 0.05);
        expect(Math.abs((from + onset) / 48000 - (k * 2 + 0.5))).toBeLessThan(tolerance);
      }
      expect(readdirSync(workDir)).toEqual([]);
    }
  });

  it('names the failing clip, and writes no output, when an input is unusable', async () => {
    const empty = join(dir, 'empty.mp4');
    writeFileSync(empty, '');
    const outputPath = join(dir, 'never.mp4');
    const error = await stitchClips({ inputs: [plain, empty, plain], outputPath, workDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ code: 'empty_file', clipIndex: 1 });
    expect((error as Error).message).toContain('clip 2');
    expect(existsSync(outputPath)).toBe(false);
  });

  it('names a damaged copied clip instead of shipping the short file its packets make', async () => {
    const bytes = readFileSync(plain);
    // Seeded noise over 20 kB in the middle of the media data, so every run damages the same bytes.
    let seed = 7;
    for (let i = Math.floor(bytes.length / 3); i < Math.floor(bytes.length / 3) + 20_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    const damaged = join(dir, 'damaged.mp4');
    writeFileSync(damaged, bytes);
    const outputPath = join(dir, 'damaged-join.mp4');
    const error = await stitchClips({ inputs: [plain, damaged, plain], outputPath, workDir: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'corrupt', clipIndex: 1 });
    expect((error as Error).message).toMatch(/^Input clip 2 is damaged \(.+\)/);
    expect(existsSync(outputPath)).toBe(false);
  });

  it('stops and cleans up when cancelled during normalisation', async () => {
    const slow = await makeClip(dir, 'slow', { size: '640x480', durationSec: 8, audio: false });
    const workDir = mkdtempSync(join(dir, 'cancel-'));
    const controller = new AbortController();
    const phases: StitchPhase[] = [];
    const run = stitchClips({
      inputs: [plain, slow],
      outputPath: join(dir, 'cancelled.mp4'),
      workDir,
      signal: controller.signal,
      target: { videoPreset: 'slow' },
      onProgress: (phase) => {
        phases.push(phase);
        if (phase === 'normalise') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(phases).not.toContain('join');
    expect(readdirSync(workDir)).toEqual([]);
    expect(existsSync(join(dir, 'cancelled.mp4'))).toBe(false);
  });

  it('reports each phase from 0 to 1, in order, never going backwards', async () => {
    const events: Array<[StitchPhase, number]> = [];
    await stitchClips({
      inputs: [plain, silent, await makeClip(dir, 'wide', { size: '640x240' })],
      outputPath: join(dir, 'progress.mp4'),
      workDir: dir,
      onProgress: (p, f) => events.push([p, f]),
    });
    const order: StitchPhase[] = ['probe', 'normalise', 'join', 'verify'];
    expect([...new Set(events.map(([p]) => p))]).toEqual(order);
    for (const phase of order) {
      const fractions = events.filter(([p]) => p === phase).map(([, f]) => f);
      expect(fractions[0]).toBe(0);
      expect(fractions[fractions.length - 1]).toBe(1);
      expect(fractions).toEqual([...fractions].sort((x, y) => x - y));
    }
  });

  it('rejects what a naive concat-copy produces when a clip has no audio', async () => {
    const list = join(dir, 'naive.ffconcat');
    writeFileSync(list, `ffconcat version 1.0\nfile '${plain}'\nfile '${silent}'\nfile '${plain}'\n`);
    const naive = join(dir, 'naive.mp4');
    await runFfmpeg({ inputs: [{ source: list, format: 'concat' }], output: naive, outputOptions: ['-c', 'copy', '-movflags', '+faststart'] });
    const check = verifyOutput(naive, { durationSec: 6, joins: 2, frameDurationSec: 0.04, width: 320, height: 240 });
    const error = await check.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'verify_failed' });
    expect((error as Error).message).toMatch(/stream 1 has a (1\.9|2\.0)\d* s hole/);
  });

  it('rejects an output whose index is at the end', async () => {
    const slowStart = join(dir, 'moov-last.mp4');
    await runFfmpeg({ inputs: [{ source: plain }], output: slowStart, outputOptions: ['-c', 'copy'] });
    await expect(verifyOutput(slowStart, { durationSec: 2, joins: 0, frameDurationSec: 0.04, width: 320, height: 240 })).rejects.toThrow(/moov/);
  });
});
