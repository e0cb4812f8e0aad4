import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransitionSpec } from '@vrs/contracts';
import { decodeAudio, frameHashes, lumaAt, makeClip, outputFacts, videoSeconds } from '../../../test/media-fixtures';
import { meanColourAt, rms, soundLag, toneAmplitude, videoPackets } from '../../../test/signal-measures';
import { runFfprobe } from '../../ffmpeg/ffmpeg-runner';
import { MediaError } from '../media-error';
import { stitchClips, StitchReport } from '../stitch-clips';

const crossfade = (duration: number): TransitionSpec => ({ type: 'crossfade', duration });
const fade = (duration: number): TransitionSpec => ({ type: 'fade', duration });

/**
 * Transitions on real ffmpeg output, measured: the frames of a crossfade mix both clips and its sound
 * holds both tones, a fade goes through black and silence, the output is shorter by the overlaps, and
 * between transitions the clips' pictures are copied packet for packet with their sound running on.
 */
describe('stitchClips with transitions (real ffmpeg, lavfi media)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'transitions-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // 25 fps with a key picture every second: the clips' own encoding, as a phone or an upload pipeline makes it.
  const solid = (name: string, colour: string, hz: number, durationSec = 4) =>
    makeClip(dir, name, { colour, durationSec, keyint: 25, audio: { source: `sine=frequency=${hz}` } });

  /** `transition` for every join (settings.transition), `own[k]` for clip k's join with the next (assets[k].transition). */
  async function stitch(
    name: string,
    inputs: string[],
    transition?: TransitionSpec,
    own: Array<TransitionSpec | undefined> = [],
  ): Promise<{ report: StitchReport; output: string }> {
    const output = join(dir, `${name}.mp4`);
    const report = await stitchClips({ inputs, outputPath: output, workDir: dir, settings: { transition }, transitions: own });
    expect(await outputFacts(output)).toMatchObject({ videoStreams: 1, audioStreams: 1, nonMonotonicStreams: 0, moovBeforeMdat: true });
    return { report, output };
  }

  /** A picture of red and blue mixed about half and half. */
  function expectBetweenRedAndBlue(colour: { r: number; b: number }): void {
    for (const channel of [colour.r, colour.b]) {
      expect(channel).toBeGreaterThan(80);
      expect(channel).toBeLessThan(180);
    }
  }

  /** Each clip copied from `from` (a key picture) up to `to` or at most a B-frame group (x264: 4 frames) before it. */
  function expectCopied(report: StitchReport, expected: Array<[number, number]>, fps = 25): void {
    report.clips.forEach((clip, k) => {
      expect(clip.copiedSec!.from).toBeCloseTo(expected[k][0], 6);
      expect(clip.copiedSec!.to).toBeLessThanOrEqual(expected[k][1] + 1e-6);
      expect(clip.copiedSec!.to).toBeGreaterThan(expected[k][1] - 4 / fps);
    });
  }

  it('crossfades picture and sound together, and the output is shorter by the overlap', async () => {
    const [red, blue] = [await solid('red', 'red', 440), await solid('blue', 'blue', 1000)];
    const { report, output } = await stitch('crossfade', [red, blue], crossfade(1));
    expect(report).toMatchObject({ method: 'partial-reencode', overlapSec: 1 });
    expect(await videoSeconds(output)).toBeCloseTo(7, 3);
    expect(report.durationSec).toBeCloseTo(7, 3);
    expect(report.clips.map((c) => c.startSec)).toEqual([0, 3]);

    // The overlap is output 3..4 s: red before, blue after, and in its middle a picture of both.
    const [before, middle, after] = await Promise.all([2.5, 3.5, 4.5].map((t) => meanColourAt(output, t, dir)));
    expect(before.r).toBeGreaterThan(200);
    expect(before.b).toBeLessThan(40);
    expect(after.b).toBeGreaterThan(200);
    expect(after.r).toBeLessThan(40);
    expectBetweenRedAndBlue(middle);

    const pcm = await decodeAudio(output, dir);
    const tones = (from: number, to: number) => ({ low: toneAmplitude(pcm, from, to, 440), high: toneAmplitude(pcm, from, to, 1000) });
    // lavfi's sine is 1/8 of full scale.
    expect(tones(2, 2.8)).toEqual({ low: expect.closeTo(0.125, 1), high: expect.closeTo(0, 2) });
    expect(tones(4.2, 5)).toEqual({ low: expect.closeTo(0, 2), high: expect.closeTo(0.125, 1) });
    const mixed = tones(3.4, 3.6);
    expect(mixed.low).toBeGreaterThan(0.04);
    expect(mixed.high).toBeGreaterThan(0.04);
  });

  it('fades through black and silence without shortening the output', async () => {
    const [red, blue] = [await solid('red-f', 'red', 440), await solid('blue-f', 'blue', 1000)];
    const { report, output } = await stitch('fade', [red, blue], fade(1));
    expect(report.method).toBe('partial-reencode');
    expect(report.overlapSec).toBeUndefined();
    expect(await videoSeconds(output)).toBeCloseTo(8, 3);

    const luma = async (t: number) => (await lumaAt(output, t, dir)).reduce((sum, y) => sum + y, 0) / (320 * 240);
    const full = await luma(3);
    expect(full).toBeGreaterThan(40);
    // The last picture before the join and the first after it are black; halfway through the fade, about half.
    expect(await luma(3.96)).toBeLessThan(3);
    expect(await luma(4)).toBeLessThan(3);
    expect(await luma(3.7)).toBeGreaterThan(0.25 * full);
    expect(await luma(3.7)).toBeLessThan(0.75 * full);
    expect((await meanColourAt(output, 4.6, dir)).b).toBeGreaterThan(200);

    const pcm = await decodeAudio(output, dir);
    expect(rms(pcm, 2, 3)).toBeCloseTo(0.125 / Math.SQRT2, 2);
    expect(rms(pcm, 3.97, 4.03)).toBeLessThan(0.01);
    expect(toneAmplitude(pcm, 4.8, 5.6, 1000)).toBeCloseTo(0.125, 1);
  });

  it('copies the pictures between transitions packet for packet, with their sound running on across every cut', async () => {
    // Key pictures every 2 s; pink noise, whose every stretch is its own, shows any jump in the sound.
    const noisy = (name: string, seed: number, durationSec: number) =>
      makeClip(dir, name, { durationSec, keyint: 50, audio: { source: `anoisesrc=color=pink:amplitude=0.3:seed=${seed}` } });
    const inputs = [await noisy('n1', 1, 6), await noisy('n2', 2, 8), await noisy('n3', 3, 6)];
    // The second clip carries its own transition (a fade) instead of the job's crossfade, which the first join takes.
    const { report, output } = await stitch('copies', inputs, crossfade(0.4), [undefined, fade(1)]);
    expect(report).toMatchObject({ method: 'partial-reencode', overlapSec: expect.closeTo(0.4, 6) });
    expect(await videoSeconds(output)).toBeCloseTo(6 + 8 + 6 - 0.4, 3);
    // Copied: from the first key picture after each transition, to within a B-frame group of the next.
    expectCopied(report, [
      [0, (150 - 10) / 25],
      [2, (200 - 14) / 25],
      [2, 6],
    ]);
    report.clips.forEach((c, k) => expect(c.startSec).toBeCloseTo([0, 5.6, 13.6][k], 6));
    const copiedSec = report.clips.reduce((sum, c) => sum + c.copiedSec!.to - c.copiedSec!.from, 0);
    expect(report.reencodedSec).toBeCloseTo(19.6 - copiedSec, 6);

    const fps = 25;
    const outputPackets = await videoPackets(output);
    const outputFrames = await frameHashes(output, dir);
    for (const [k, clip] of report.clips.entries()) {
      const [from, to, at] = [clip.copiedSec!.from, clip.copiedSec!.to, clip.startSec].map((sec) => Math.round(sec * fps));
      const packets = (await videoPackets(inputs[k])).slice(from, to);
      // Key pictures may carry their parameter sets in front; every other packet is the clip's own, byte for byte.
      outputPackets.slice(at + from, at + to).forEach((p, i) => p.key || expect(p.hash).toBe(packets[i].hash));
      expect(outputFrames.slice(at + from, at + to)).toEqual((await frameHashes(inputs[k], dir)).slice(from, to));
    }

    // Each clip's sound keeps one offset to its picture on both sides of every cut between copy and piece
    // (just after a copied part's end, the piece's sound is still mostly that clip's: a crossfade's start).
    const pcm = await decodeAudio(output, dir);
    const sources = await Promise.all(inputs.map((input) => decodeAudio(input, dir)));
    const lagAt = (k: number, clipSec: number) => soundLag(pcm, report.clips[k].startSec + clipSec, sources[k], clipSec, 0.1);
    const cuts = report.clips.flatMap((c, k) => [...(k > 0 ? [[k, c.copiedSec!.from]] : []), ...(k < 2 ? [[k, c.copiedSec!.to]] : [])]);
    expect(cuts).toHaveLength(4);
    for (const [k, cut] of cuts) {
      const [earlier, later] = [lagAt(k, cut - 0.3), lagAt(k, cut + 0.01)];
      expect(earlier.correlation).toBeGreaterThan(0.9);
      expect(later.correlation).toBeGreaterThan(0.9);
      expect(later.lag).toBe(earlier.lag);
      // Never further from its picture than half an AAC frame; the first clip's sound is exactly in place.
      expect(Math.abs(earlier.lag)).toBeLessThanOrEqual(k === 0 ? 0 : 512);
    }
  });

  it('moves a cut away from sound the copy join cannot splice there', async () => {
    // Clicks every 20 ms over the last 0.35 s before the crossfade: AAC codes them with short windows, which do not splice.
    const clicks = "aevalsrc='0.3*sin(2*PI*440*t)+if(between(t\\,5.25\\,5.6)*lt(mod(t\\,0.02)\\,0.001)\\,0.9\\,0)|0.3*sin(2*PI*440*t)'";
    const first = await makeClip(dir, 'clicks', { durationSec: 6, keyint: 50, audio: { source: clicks } });
    const second = await makeClip(dir, 'after-clicks', { durationSec: 4, keyint: 50, pattern: 'smptebars' });
    const { report, output } = await stitch('clicks', [first, second], crossfade(0.4));
    expect(report.method).toBe('partial-reencode');
    // Without the clicks the copy would run to within a B-frame group of 5.6 s.
    expect(report.clips[0].copiedSec!.to).toBeLessThan(5.25);
    expect(report.clips[0].copiedSec!.to).toBeGreaterThan(4.5);
    expect(report.reencodedSec).toBeCloseTo(6 - report.clips[0].copiedSec!.to + 2 - 0.4, 6);
    expect(await videoSeconds(output)).toBeCloseTo(9.6, 3);
    const [joined, own] = [await decodeAudio(output, dir), await decodeAudio(first, dir)];
    expect(toneAmplitude(joined, 4, 5, 440)).toBeCloseTo(toneAmplitude(own, 4, 5, 440), 2);
  });

  it('re-encodes the whole join in one filtergraph when the copy join cannot take the clips', async () => {
    // A clip without sound: its picture could be copied, but not joined by the copy join.
    const red = await solid('red-g', 'red', 440);
    const silent = await makeClip(dir, 'silent-blue', { colour: 'blue', durationSec: 4, keyint: 25, audio: false });
    const { report, output } = await stitch('graph', [red, silent], crossfade(1));
    expect(report).toMatchObject({ method: 'full-reencode', overlapSec: 1, reencodedSec: 7 });
    expect(await videoSeconds(output)).toBeCloseTo(7, 3);
    const middle = await meanColourAt(output, 3.5, dir);
    expectBetweenRedAndBlue(middle);
    const pcm = await decodeAudio(output, dir);
    expect(toneAmplitude(pcm, 2, 2.8, 440)).toBeCloseTo(0.125, 1);
    // The tone fades out across the overlap into the silent clip.
    expect(toneAmplitude(pcm, 3.4, 3.6, 440)).toBeGreaterThan(0.03);
    expect(toneAmplitude(pcm, 3.4, 3.6, 440)).toBeLessThan(0.1);
    expect(rms(pcm, 4.2, 6.8)).toBeLessThan(0.001);
  });

  it('normalises a clip that differs, then still copies between the transitions', async () => {
    const [red, blue] = [await solid('red-n', 'red', 440), await solid('blue-n', 'blue', 1000)];
    const small = await makeClip(dir, 'small', { colour: 'green', size: '160x120', durationSec: 4, keyint: 25 });
    const { report, output } = await stitch('normalised', [red, small, blue], crossfade(1));
    expect(report.clips.map((c) => c.action)).toEqual(['copy', 'normalise', 'copy']);
    expect(report).toMatchObject({ method: 'partial-reencode', overlapSec: 2 });
    // The normalised clip was given a key picture every second, so it is copied between its transitions too.
    expectCopied(report, [
      [0, 3],
      [1, 3],
      [1, 4],
    ]);
    expect(await videoSeconds(output)).toBeCloseTo(10, 3);
    expect((await meanColourAt(output, 5, dir)).g).toBeGreaterThan(100);
  });

  it('crossfades into H.265 output by re-encoding the whole join (the copy join is H.264 only)', async () => {
    const [red, blue] = [await solid('red-h', 'red', 440), await solid('blue-h', 'blue', 1000)];
    const output = join(dir, 'hevc.mp4');
    const report = await stitchClips({
      inputs: [red, blue],
      outputPath: output,
      workDir: dir,
      settings: { output: { codec: 'h265', fit: 'contain' }, transition: crossfade(1) },
    });
    expect(report).toMatchObject({ method: 'full-reencode', overlapSec: 1 });
    const probed = JSON.parse(
      await runFfprobe({ input: output, args: ['-select_streams', 'v:0', '-show_entries', 'stream=codec_name,codec_tag_string', '-of', 'json'] }),
    );
    expect(probed.streams[0]).toMatchObject({ codec_name: 'hevc', codec_tag_string: 'hvc1' });
    expect(await videoSeconds(output)).toBeCloseTo(7, 3);
    const middle = await meanColourAt(output, 3.5, dir);
    expectBetweenRedAndBlue(middle);
  });

  it('fails the job naming the transition when a clip is too short for it, and writes nothing', async () => {
    const [a, b] = [await solid('short-a', 'red', 440, 2), await solid('short-b', 'blue', 1000, 2)];
    const outputPath = join(dir, 'never.mp4');
    const tooLong = await stitchClips({ inputs: [a, b], outputPath, workDir: dir, settings: { transition: crossfade(3) } }).catch((e: unknown) => e);
    expect(tooLong).toBeInstanceOf(MediaError);
    expect(tooLong).toMatchObject({ code: 'invalid_settings', clipIndex: 0 });
    expect((tooLong as Error).message).toBe(
      'settings.transition.duration: a 3 s crossfade needs 3 s of clip 1, but clip 1 lasts 2.000 s; use at most 2.000 s there, or a longer clip.',
    );
    // Two transitions that each fit alone, but not both in the middle clip: the later one is named.
    const both = await stitchClips({
      inputs: [a, b, a],
      outputPath,
      workDir: dir,
      settings: { transition: crossfade(1.2) },
      transitions: [undefined, fade(2)],
    }).catch((e: unknown) => e);
    expect((both as Error).message).toMatch(
      /^assets\[1\]\.transition\.duration: a 2 s fade needs 1 s of clip 2 besides the 1\.2 s that settings\.transition takes from it, but clip 2 lasts 2\.000 s; use at most 1\.520 s there/,
    );
    expect(existsSync(outputPath)).toBe(false);
  });
});
