import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeClip, outputFacts } from '../../test/media-fixtures';
import { runFfmpeg, runFfprobe } from '../ffmpeg/ffmpeg-runner';
import { MediaError } from './media-error';
import { stitchClips } from './stitch-clips';

/** 745 frames at 25 fps: the index of every damaged file below declares 29.8 s. */
const DECLARED_FRAMES = 745;

/** Where each of the file's video samples lies, from the demuxer's packet table (nothing decoded). */
async function videoSamples(path: string): Promise<Array<{ pos: number; size: number }>> {
  const json = JSON.parse(await runFfprobe({ input: path, args: ['-select_streams', 'v:0', '-show_entries', 'packet=pos,size', '-of', 'json'] }));
  return (json.packets as Array<{ pos: string; size: string }>).map((p) => ({ pos: Number(p.pos), size: Number(p.size) }));
}

describe('clips that decode to less than their container declares (real ffmpeg)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clip-length-'));
  let first: string;
  let long: string;
  beforeAll(async () => {
    first = await makeClip(dir, 'first', { size: '320x240', durationSec: 2 });
    // Another size, so the damaged clip is normalised (decoded) rather than copied.
    long = await makeClip(dir, 'long', { size: '160x120', durationSec: DECLARED_FRAMES / 25 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let outputs = 0;
  const outputPath = () => join(dir, `out-${++outputs}.mp4`);
  const stitch = (inputs: string[], output = outputPath()) => stitchClips({ inputs, outputPath: output, workDir: dir, target: { videoPreset: 'superfast' } });

  it('fails a clip whose media data is cut short after a few frames, naming it and both lengths', async () => {
    // makeClip writes the index first (x264 + faststart is not guaranteed), so move it: moov at the front, then cut mdat.
    const front = join(dir, 'front.mp4');
    await runFfmpeg({ inputs: [{ source: long }], output: front, outputOptions: ['-c', 'copy', '-movflags', '+faststart'] });
    const samples = await videoSamples(front);
    const cut = join(dir, 'cut.mp4');
    writeFileSync(cut, readFileSync(front).subarray(0, samples[12].pos));

    const error: MediaError = await stitch([first, cut]).catch((e) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect(error.clipIndex).toBe(1);
    expect(error.message).toMatch(/^Input clip 2 decodes to only \d+\.\d{3} s of the 29\.800 s its container declares/);
    expect(Number(/only (\d+\.\d+) s/.exec(error.message)![1])).toBeLessThan(2);
  });

  it('fails a clip whose index declares 745 frames but whose video data is garbage after the first few', async () => {
    const bytes = readFileSync(long);
    const samples = await videoSamples(long);
    let seed = 7;
    for (const { pos, size } of samples.slice(8)) {
      for (let i = pos; i < pos + size; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    }
    const garbage = join(dir, 'garbage.mp4');
    writeFileSync(garbage, bytes);

    const error: MediaError = await stitch([first, garbage]).catch((e) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect(error.clipIndex).toBe(1);
    expect(error.message).toMatch(/^Input clip 2 decodes to only \d+\.\d{3} s of the 29\.800 s its container declares/);
  });

  it('fails a copied clip (same encoding as the first) whose data is cut short, naming it', async () => {
    const same = await makeClip(dir, 'same', { size: '320x240', durationSec: 6 });
    const samples = await videoSamples(same);
    const cut = join(dir, 'cut-same.mp4');
    writeFileSync(cut, readFileSync(same).subarray(0, samples[20].pos));

    const error: MediaError = await stitch([first, cut]).catch((e) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect(error.clipIndex).toBe(1);
    expect(error.message).toMatch(/^Input clip 2 /);
  });

  it('finishes a TS that starts between key pictures with a warning, keeping its length and sync', async () => {
    const ts = join(dir, 'full.ts');
    await runFfmpeg({
      inputs: [
        { source: 'testsrc2=size=320x240:rate=25:duration=3', format: 'lavfi' },
        { source: 'sine=frequency=440:sample_rate=48000:duration=3', format: 'lavfi' },
      ],
      output: ts,
      outputOptions: ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '25', '-c:a', 'aac', '-ac', '2', '-f', 'mpegts'],
    });
    // Drop the first 15% of the 188-byte packets: the stream now starts in the middle of a GOP.
    const packets = readFileSync(ts);
    const midGop = join(dir, 'mid-gop.ts');
    writeFileSync(midGop, packets.subarray(Math.floor((packets.length / 188) * 0.15) * 188));
    const declared = Number(
      JSON.parse(await runFfprobe({ input: midGop, args: ['-select_streams', 'v:0', '-show_entries', 'stream=duration', '-of', 'json'] })).streams[0].duration,
    );

    const output = outputPath();
    const report = await stitch([first, midGop], output);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings[0]).toMatch(/^clip 2 starts without a key picture: its first 0\.\d{3} s \(of \d+\.\d{3} s\) could not be decoded/);
    const facts = await outputFacts(output);
    expect(Math.abs(facts.videoSec - (2 + declared))).toBeLessThanOrEqual(2 / 25 + 0.001);
    expect(Math.abs(facts.audioSec - facts.videoSec)).toBeLessThanOrEqual(0.1);
  });

  it('reports no warnings for clips that decode whole', async () => {
    const other = await makeClip(dir, 'other', { size: '160x120', durationSec: 1 });
    const report = await stitch([first, other]);
    expect(report.clips[1].action).toBe('normalise');
    expect(report.warnings).toEqual([]);
  });
});
