import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio, frameHashes, makeClip, outputFacts, SAMPLE_MEDIA } from '../../../test/media-fixtures';
import { runFfmpeg, runFfprobe } from '../../ffmpeg/ffmpeg-runner';
import { stitchClips } from '../stitch-clips';
import { inBandParameterSets, parseAvcConfig } from './avc';
import { VISUAL_ENTRY_FIELDS } from './copy-clip';
import { readMp4, sampleEntryChild } from './mp4-reader';

const RATE = 48000;

/**
 * The copy join on real ffmpeg output: pictures copied bit for bit, sound copied but for a few frames
 * around each join, and those joins as clean as the clips themselves — measured against each clip's own
 * decoded sound placed where the report says the clip starts.
 */
describe('copy join (real ffmpeg, lavfi media)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'copy-join-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tone = (hz: number) => ({ source: `aevalsrc='0.4*sin(${hz}*2*PI*t)*(0.7+0.3*sin(5*t))|0.3*sin(${hz * 1.5}*2*PI*t)'` });

  it('joins four clips by copying, with sound at each join as clean as a full re-encode and no drift', async () => {
    const inputs = [
      await makeClip(dir, 'low', { audio: tone(330) }),
      await makeClip(dir, 'mid', { audio: tone(550), pattern: 'smptebars' }),
      await makeClip(dir, 'high', { audio: tone(770) }),
    ];
    inputs.push(inputs[0]);
    const output = join(dir, 'joined.mp4');
    const report = await stitchClips({ inputs, outputPath: output, workDir: dir });
    expect(report.method).toBe('copy-join');
    expect(await outputFacts(output)).toMatchObject({ videoStreams: 1, audioStreams: 1, nonMonotonicStreams: 0, moovBeforeMdat: true });

    // Every picture is the clip's own.
    const expected = (await Promise.all(inputs.map((input) => frameHashes(input, dir)))).flat();
    expect(await frameHashes(output, dir)).toEqual(expected);

    // Sound: window by window, the output must match the clips' own sound where the report places them.
    const clips = await Promise.all(inputs.map((input) => decodeAudio(input, dir)));
    const joined = await decodeAudio(output, dir);
    const worst = worstWindowSnr(
      joined,
      clips,
      report.clips.map((c) => c.startSec),
    );
    expect(worst.snrDb).toBeGreaterThan(25);
    report.clips.forEach((clip, k) => expect(clip.startSec).toBeCloseTo(2 * k, 6));
    // Each clip's sound sits within half an AAC frame of its picture, never drifting further.
    worst.offsets.forEach((offset, k) => expect(Math.abs(offset - 2 * k * RATE)).toBeLessThanOrEqual(512));

    // The same measure rejects what ffmpeg's concat demuxer copy makes of the same clips (priming at each join).
    const naive = join(dir, 'naive.mp4');
    writeFileSync(join(dir, 'naive.ffconcat'), 'ffconcat version 1.0\n' + inputs.map((i) => `file '${i}'`).join('\n') + '\n');
    await runFfmpeg({ inputs: [{ source: join(dir, 'naive.ffconcat'), format: 'concat' }], output: naive, outputOptions: ['-c', 'copy'] });
    expect(worstWindowSnr(await decodeAudio(naive, dir), clips, [0, 2, 4, 6]).snrDb).toBeLessThan(10);
  });

  it("carries each clip's own parameter sets at every key picture when encoders differ, so seeking into any clip decodes", async () => {
    const a = await makeClip(dir, 'crf-28', { durationSec: 3 });
    const b = await makeClip(dir, 'crf-20', { durationSec: 3, crf: 20, keyint: 25 });
    const sets = (path: string) =>
      inBandParameterSets(parseAvcConfig(sampleEntryChild(readMp4(path).tracks[0].sampleEntries[0], VISUAL_ENTRY_FIELDS, 'avcC')!));
    expect(sets(a).equals(sets(b))).toBe(false);
    const output = join(dir, 'mixed.mp4');
    const report = await stitchClips({ inputs: [a, b, a], outputPath: output, workDir: dir });
    expect(report.method).toBe('copy-join');
    expect(await frameHashes(output, dir)).toEqual([...(await frameHashes(a, dir)), ...(await frameHashes(b, dir)), ...(await frameHashes(a, dir))]);
    // Start decoding at a key picture in the middle of clip 2, then of clip 3: no decoder errors.
    for (const at of ['4.2', '7.1']) {
      const errors: string[] = [];
      await runFfmpeg({
        inputs: [{ source: output, options: ['-ss', at] }],
        output: '-',
        outputOptions: ['-f', 'null'],
        onStderr: (line) => {
          if (/error|unavailable|non-existing/i.test(line)) errors.push(line);
        },
      });
      expect(errors).toEqual([]);
    }
  });

  it('leaves clips it cannot copy cleanly to the general path (44.1 kHz sound among 48 kHz clips)', async () => {
    const usual = await makeClip(dir, 'usual');
    const cd = await makeClip(dir, 'cd-rate', { audio: { sampleRate: 44100 } });
    const report = await stitchClips({ inputs: [usual, cd], outputPath: join(dir, 'rates.mp4'), workDir: dir });
    expect(report.method).toBe('general');
    expect(report.clips.map((c) => c.action)).toEqual(['copy', 'copy']);
  });

  it('reads sample tables that agree with ffprobe on real-world files', async () => {
    for (const name of ['video.mp4', 'edts.mp4']) {
      const path = join(SAMPLE_MEDIA, name);
      const file = readMp4(path);
      const probed = JSON.parse(await runFfprobe({ input: path, args: ['-show_entries', 'stream=codec_type,nb_frames,duration_ts', '-of', 'json'] })) as {
        streams: Array<{ codec_type: string; nb_frames: string; duration_ts: number }>;
      };
      for (const stream of probed.streams) {
        const track = file.tracks.find((t) => t.handler === (stream.codec_type === 'video' ? 'vide' : 'soun'))!;
        expect(track.samples.count).toBe(Number(stream.nb_frames));
        // ffprobe counts a sound track without the encoder delay its edit list skips.
        const skipped = stream.codec_type === 'audio' ? (track.edits[0]?.mediaTime ?? 0) : 0;
        expect(track.samples.durations.reduce((sum, d) => sum + d, 0)).toBe(stream.duration_ts + skipped);
      }
    }
  });
});

/**
 * The lowest signal-to-error ratio over 1024-sample windows of `joined` against each clip's own sound
 * placed where it best matches within half an AAC frame of the clip's picture (where the copy join puts
 * it). A click or a misplaced clip shows up as one bad window.
 */
function worstWindowSnr(joined: Float32Array, clips: Float32Array[], startsSec: number[]): { snrDb: number; atSec: number; offsets: number[] } {
  const reference = new Float32Array(joined.length);
  const offsets = startsSec.map((startSec, k) => bestOffset(joined, clips[k], Math.round(startSec * RATE)));
  offsets.forEach((start, k) => {
    const end = k + 1 < offsets.length ? offsets[k + 1] : joined.length;
    for (let i = Math.max(0, start); i < end && i - start < clips[k].length; i++) reference[i] = clips[k][i - start];
  });
  let worst = { snrDb: Infinity, atSec: 0, offsets };
  for (let at = 0; at + 1024 <= joined.length; at += 1024) {
    let signal = 0;
    let error = 0;
    for (let i = at; i < at + 1024; i++) {
      signal += reference[i] ** 2;
      error += (joined[i] - reference[i]) ** 2;
    }
    const snrDb = 10 * Math.log10(signal / Math.max(error, 1e-12));
    if (signal > 1e-3 && snrDb < worst.snrDb) worst = { snrDb, atSec: at / RATE, offsets };
  }
  return worst;
}

function bestOffset(joined: Float32Array, clip: Float32Array, guess: number): number {
  let best = { offset: guess, error: Infinity };
  for (let offset = Math.max(0, guess - 520); offset <= guess + 520; offset++) {
    let error = 0;
    // Compare well inside the clip, away from the joins.
    for (let i = RATE / 2; i < RATE / 2 + 4800; i++) error += (joined[offset + i] - clip[i]) ** 2;
    if (error < best.error) best = { offset, error };
  }
  return best.offset;
}
