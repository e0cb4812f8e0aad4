import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipSpec, decodeAudio, frameHashes, interlaceVerdict, lumaAt, makeClip, outputFacts, peak, videoSeconds } from '../../test/media-fixtures';
import { runFfmpeg } from '../ffmpeg/ffmpeg-runner';
import { stitchClips, StitchReport } from './stitch-clips';

/**
 * Each case joins a reference clip A, one clip X that differs in one way, and a second reference clip B
 * (same encoding as A, other picture). A and B must be copied bit for bit; the output must pass the
 * point-2 checks measured here independently of the stitcher's own verify step.
 */
describe('stitchClips with one mismatched clip (real ffmpeg, lavfi media)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stitch-mismatch-'));
  let a: string;
  let b: string;
  let hashesA: string[];
  let hashesB: string[];
  beforeAll(async () => {
    a = await makeClip(dir, 'ref-a');
    b = await makeClip(dir, 'ref-b', { pattern: 'smptebars', audio: { source: 'sine=frequency=880' } });
    [hashesA, hashesB] = await Promise.all([frameHashes(a, dir), frameHashes(b, dir)]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function stitchWith(name: string, spec: ClipSpec, order: 'middle' | 'first' = 'middle') {
    const x = await makeClip(dir, name, spec);
    const inputs = order === 'first' ? [x, a, b] : [a, x, b];
    const outputPath = join(dir, `${name}-out.mp4`);
    const report = await stitchClips({ inputs, outputPath, workDir: dir });
    const facts = await outputFacts(outputPath);
    const inputSec = (await Promise.all(inputs.map(videoSeconds))).reduce((s, d) => s + d, 0);
    const frame = 1 / report.fps;
    // Point 2: one stream of each, duration = sum of inputs within a frame per join, A/V within 100 ms, monotonic, moov first.
    expect(facts).toMatchObject({ videoStreams: 1, audioStreams: 1, width: 320, height: 240, nonMonotonicStreams: 0, moovBeforeMdat: true });
    expect(Math.abs(facts.videoSec - inputSec)).toBeLessThanOrEqual(2 * frame + 1e-3);
    expect(Math.abs(facts.audioSec - facts.videoSec)).toBeLessThanOrEqual(0.1);
    const hashes = await frameHashes(outputPath, dir);
    await expectCopiesUnchanged(report, inputs, hashes);
    return { report, x: report.clips[order === 'first' ? 0 : 1], outputPath, hashes };
  }

  async function expectCopiesUnchanged(report: StitchReport, inputs: string[], outputHashes: string[]) {
    let offset = 0;
    for (const clip of report.clips) {
      const frames = Math.round(clip.durationSec * report.fps);
      if (clip.action === 'copy') {
        const original = inputs[clip.index] === a ? hashesA : inputs[clip.index] === b ? hashesB : await frameHashes(inputs[clip.index], dir);
        expect(outputHashes.slice(offset, offset + frames)).toEqual(original);
      }
      offset += frames;
    }
    expect(outputHashes).toHaveLength(offset);
  }

  const normalised: Array<[string, ClipSpec, RegExp]> = [
    ['resolution', { size: '640x480' }, /size 640x480/],
    ['frame rate', { fps: 30 }, /frame rate 30/],
    ['pixel aspect', { sar: '4/3' }, /pixel aspect 4:3/],
    ['rotation', { rotate: true }, /rotated 90/],
    ['codec and container (VP9 webm)', { container: 'webm' }, /codec vp9.*container matroska/],
    ['pixel format', { pixFmt: 'yuv444p' }, /pixel format yuv444p/],
    ['variable frame rate', { vfr: true }, /variable frame rate/],
  ];
  it.each(normalised)('normalises only the clip with a different %s', async (name, spec, reason) => {
    const { report } = await stitchWith(name.replace(/\W+/g, '-'), spec);
    expect(report.clips.map((c) => c.action)).toEqual(['copy', 'normalise', 'copy']);
    expect(report.clips[1].reasons.join('; ')).toMatch(reason);
  });

  it('pillarboxes a portrait (rotated) clip at its upright aspect', async () => {
    const { outputPath } = await stitchWith('portrait', { rotate: true });
    const luma = await lumaAt(outputPath, 3, dir);
    const column = (x: number) => Array.from({ length: 240 }, (_, y) => luma[y * 320 + x]);
    // 240x320 upright fits 320x240 as 180x240 centred: 70 black columns each side.
    expect(Math.max(...column(10), ...column(309))).toBeLessThanOrEqual(20);
    expect(Math.max(...column(160))).toBeGreaterThan(60);
  });

  const audioOnly: Array<[string, ClipSpec]> = [
    ['44.1 kHz audio', { audio: { sampleRate: 44100 } }],
    ['mono audio', { audio: { layout: 'mono' } }],
    ['5.1 audio', { audio: { layout: '5.1' } }],
  ];
  it.each(audioOnly)('copies the picture of a clip with %s and keeps its sound', async (name, spec) => {
    const { report, outputPath } = await stitchWith(name.replace(/\W+/g, '-'), spec);
    expect(report.clips.map((c) => c.action)).toEqual(['copy', 'copy', 'copy']);
    const pcm = await decodeAudio(outputPath, dir);
    expect(peak(pcm, 2.1, 3.9)).toBeGreaterThan(0.02);
  });

  it('fills a clip without audio with silence of exactly its length', async () => {
    const { report, outputPath } = await stitchWith('no-audio', { audio: false });
    expect(report.clips.map((c) => c.action)).toEqual(['copy', 'copy', 'copy']);
    const pcm = await decodeAudio(outputPath, dir);
    expect(peak(pcm, 0.1, 1.95)).toBeGreaterThan(0.05);
    expect(peak(pcm, 2.05, 3.95)).toBeLessThan(0.001);
    expect(peak(pcm, 4.05, 5.9)).toBeGreaterThan(0.05);
  });

  it('keeps the audio of later clips when the first clip is silent', async () => {
    const { report, outputPath } = await stitchWith('first-silent', { audio: false }, 'first');
    expect(report.audioDurationSec).toBeCloseTo(report.videoDurationSec, 1);
    const pcm = await decodeAudio(outputPath, dir);
    expect(peak(pcm, 0, 1.95)).toBeLessThan(0.001);
    expect(peak(pcm, 2.05, 5.9)).toBeGreaterThan(0.05);
  });

  it('deinterlaces an interlaced clip, so it does not comb between progressive ones', async () => {
    const x = await makeClip(dir, 'interlaced-source', { interlaced: true });
    expect((await interlaceVerdict(x, 0, 2)).progressive).toBe(0);
    const { report, outputPath } = await stitchWith('interlaced', { interlaced: true });
    expect(report.clips.map((c) => c.action)).toEqual(['copy', 'normalise', 'copy']);
    expect(report.clips[1].reasons).toContain('interlaced (needs progressive)');
    // idet misjudges a few frames of a synthetic pattern either way; combed frames would be all of them.
    const middle = await interlaceVerdict(outputPath, 2.1, 1.8);
    expect(middle.progressive + middle.interlaced).toBeGreaterThan(40);
    expect(middle.progressive).toBeGreaterThanOrEqual(0.85 * (middle.progressive + middle.interlaced));
  });

  it('measures a Matroska clip by its picture, not by subtitles that outlast it', async () => {
    const webm = await makeClip(dir, 'short-picture', { container: 'webm', durationSec: 1.6 });
    const subtitles = join(dir, 'late.srt');
    writeFileSync(subtitles, '1\n00:00:00,000 --> 00:00:02,500\nstill talking\n');
    const mkv = join(dir, 'subtitled.mkv');
    await runFfmpeg({
      inputs: [{ source: webm }, { source: subtitles }],
      output: mkv,
      outputOptions: ['-map', '0', '-map', '1', '-c:v', 'copy', '-c:a', 'copy', '-c:s', 'srt'],
    });
    const outputPath = join(dir, 'subtitled-out.mp4');
    const report = await stitchClips({ inputs: [a, mkv, b], outputPath, workDir: dir });
    const facts = await outputFacts(outputPath);
    const expectedSec = (await videoSeconds(a)) + 1.6 + (await videoSeconds(b));
    expect(Math.abs(facts.videoSec - expectedSec)).toBeLessThanOrEqual(2 / report.fps + 1e-3);
    expect(Math.abs(facts.audioSec - facts.videoSec)).toBeLessThanOrEqual(0.1);
  });
});
