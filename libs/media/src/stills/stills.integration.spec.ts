import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { joinSettings } from '@vrs/contracts';
import { lumaAt, makeClip } from '../../test/media-fixtures';
import { runFfmpeg, runFfprobe } from '../ffmpeg/ffmpeg-runner';
import { stitchClips } from '../stitch/stitch-clips';
import { makeStills } from './make-stills';
import { choosePosterTime, type FrameStats } from './poster-choice';
import { spriteLayout, thumbnailIndex } from './thumbnail-index';

const mean = (bytes: Buffer) => bytes.reduce((sum, b) => sum + b, 0) / bytes.length;
/** A picture's mean luma and the spread between its darkest and brightest tenth (what signalstats calls YLOW..YHIGH). */
async function lumaStats(path: string, dir: string): Promise<{ luma: number; contrast: number }> {
  const luma = await imageLuma(path, dir);
  const sorted = Uint8Array.from(luma).sort();
  return { luma: mean(luma), contrast: sorted[Math.floor(sorted.length * 0.9)] - sorted[Math.floor(sorted.length * 0.1)] };
}
/** A JPEG's pixels as 8-bit luma, row by row. */
async function imageLuma(path: string, dir: string): Promise<Buffer> {
  const out = join(dir, `${basename(path)}.gray`);
  await runFfmpeg({ inputs: [{ source: path }], output: out, outputOptions: ['-frames:v', '1', '-pix_fmt', 'gray', '-f', 'rawvideo'] });
  return readFileSync(out);
}
const near = (value: number, target: number, tolerance: number) => expect(Math.abs(value - target)).toBeLessThan(tolerance);
async function imageSize(path: string): Promise<{ width: number; height: number; codec: string }> {
  const [stream] = (
    JSON.parse(await runFfprobe({ input: path, args: ['-show_entries', 'stream=width,height,codec_name', '-of', 'json'] })) as {
      streams: Array<{ width: number; height: number; codec_name: string }>;
    }
  ).streams;
  return { width: stream.width, height: stream.height, codec: stream.codec_name };
}
/** A grey level for each second, drawn over the whole 320x240 picture: the time of a picture can be read from its luma. */
const steps = (levels: number[]) =>
  levels
    .map((level, second) => {
      const hex = level.toString(16).padStart(2, '0');
      return `drawbox=x=0:y=0:w=320:h=240:color=0x${hex}${hex}${hex}:t=fill:enable='between(t,${second},${second + 1 - 0.001})'`;
    })
    .join(',');

describe('poster choice (pure)', () => {
  const sample = (timeSec: number, over: Partial<FrameStats> = {}): FrameStats => ({
    timeSec,
    luma: 120,
    low: 30,
    high: 200,
    entropy: 0.6,
    change: 2,
    ...over,
  });
  it('takes the steady picture that shows most, not a black, flat, washed-out, changing or near-join one', () => {
    const samples = [
      sample(0, { luma: 16, low: 16, high: 17, entropy: 0 }), // black
      sample(0.75, { entropy: 0.9 }), // the last picture before a cut or fade
      sample(1, { entropy: 0.9, change: 30 }), // mid-change
      sample(2, { luma: 120, low: 110, high: 130, entropy: 0.95 }), // flat
      sample(3, { luma: 240, entropy: 0.95 }), // washed out
      sample(4, { entropy: 0.99 }), // beside a join
      sample(5, { entropy: 0.7 }),
      sample(6, { entropy: 0.65 }),
    ];
    expect(choosePosterTime(samples, [{ fromSec: 3.5, toSec: 4.5 }])).toBe(5);
    expect(choosePosterTime(samples)).toBe(4);
  });
  it('falls back to the picture that shows most when none qualifies, and to nothing without samples', () => {
    expect(choosePosterTime([sample(0, { luma: 20, entropy: 0.1 }), sample(1, { luma: 25, entropy: 0.3 })])).toBe(1);
    expect(choosePosterTime([])).toBeUndefined();
  });
});

describe('thumbnail layout and index (pure)', () => {
  it('lays the thumbnails out in a near-square grid and cues each one for its stretch of the video', () => {
    const layout = spriteLayout(10, 2, 96, { width: 320, height: 240 });
    expect(layout).toEqual({ everySec: 2, count: 5, columns: 3, rows: 2, width: 96, height: 72 });
    expect(thumbnailIndex(layout, 9.5, 'j.thumbnails.jpg')).toBe(
      [
        'WEBVTT',
        '',
        '00:00:00.000 --> 00:00:02.000',
        'j.thumbnails.jpg#xywh=0,0,96,72',
        '',
        '00:00:02.000 --> 00:00:04.000',
        'j.thumbnails.jpg#xywh=96,0,96,72',
        '',
        '00:00:04.000 --> 00:00:06.000',
        'j.thumbnails.jpg#xywh=192,0,96,72',
        '',
        '00:00:06.000 --> 00:00:08.000',
        'j.thumbnails.jpg#xywh=0,72,96,72',
        '',
        '00:00:08.000 --> 00:00:09.500',
        'j.thumbnails.jpg#xywh=96,72,96,72',
        '',
      ].join('\n'),
    );
    expect(thumbnailIndex(spriteLayout(3725.25, 60, 160, { width: 1920, height: 1080 }), 3725.25, 's.jpg')).toContain(
      '01:02:00.000 --> 01:02:05.250\ns.jpg#xywh=',
    );
  });
  it('spaces thumbnails out rather than make a sprite over 64 megapixels', () => {
    const layout = spriteLayout(10 * 3600, 0.5, 640, { width: 1920, height: 1080 });
    expect(layout.count * layout.width * layout.height).toBeLessThanOrEqual(8192 * 8192);
    expect(layout.everySec).toBe(128);
  });
});

describe('makeStills on real video (real ffmpeg)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stills-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string) => join(dir, name);

  it('chooses a lit, steady poster: not the black head, not the fades', async () => {
    // Black for 1 s, fading in until 2 s, steady to 4.5 s, fading out to black at 5.5 s, black to 6 s.
    const clip = await makeClip(dir, 'fades', { durationSec: 6, draw: 'fade=t=in:st=1:d=1,fade=t=out:st=4.5:d=1' });
    const stills = await makeStills({ input: clip, durationSec: 6, width: 320, height: 240, fps: 25, poster: { path: file('fades.jpg') } });
    expect(stills.poster!.atSec).toBeGreaterThanOrEqual(2);
    expect(stills.poster!.atSec).toBeLessThanOrEqual(4.5);
    expect(await imageSize(file('fades.jpg'))).toEqual({ width: 320, height: 240, codec: 'mjpeg' });
    const poster = await lumaStats(file('fades.jpg'), dir);
    expect(poster.luma).toBeGreaterThan(60);
    expect(poster.contrast).toBeGreaterThan(100);
    // What a poster from the first picture would have been: black.
    expect(mean(await lumaAt(clip, 0, dir))).toBeLessThan(20);
  });

  it('takes the picture on screen at poster.at, to the frame, and the last one for a time past the end', async () => {
    const levels = [0, 64, 128, 192];
    const clip = await makeClip(dir, 'steps', { durationSec: 4, draw: steps(levels) });
    for (const [atSec, level] of [
      [2.5, 128],
      [1.99, 64],
      [3.96, 192],
    ] as const) {
      const stills = await makeStills({ input: clip, durationSec: 4, width: 320, height: 240, fps: 25, poster: { path: file(`at-${atSec}.jpg`), atSec } });
      expect(stills.warnings).toEqual([]);
      // Neighbouring seconds are 64 levels apart.
      near((await lumaStats(file(`at-${atSec}.jpg`), dir)).luma, level, 12);
    }
    const late = await makeStills({ input: clip, durationSec: 4, width: 320, height: 240, fps: 25, poster: { path: file('late.jpg'), atSec: 9 } });
    expect(late.poster!.atSec).toBeCloseTo(3.96, 5);
    expect(late.warnings).toEqual([expect.stringMatching(/poster.at 9 s is past the end of the 4.000 s video/)]);
    near((await lumaStats(file('late.jpg'), dir)).luma, 192, 12);
  });

  it("makes a sprite whose tiles show the pictures at their cues' start times", async () => {
    const levels = [20, 40, 60, 80, 100, 120, 140, 160, 180, 200];
    const clip = await makeClip(dir, 'ten', { durationSec: 10, draw: steps(levels) });
    const stills = await makeStills({
      input: clip,
      durationSec: 10,
      width: 320,
      height: 240,
      fps: 25,
      thumbnails: { spritePath: file('ten.jpg'), indexPath: file('ten.vtt'), spriteRef: 'ten.jpg', everySec: 2, width: 96 },
    });
    expect(stills.thumbnails!.layout).toEqual({ everySec: 2, count: 5, columns: 3, rows: 2, width: 96, height: 72 });
    expect(await imageSize(file('ten.jpg'))).toEqual({ width: 288, height: 144, codec: 'mjpeg' });
    const cues = readFileSync(file('ten.vtt'), 'utf8')
      .split('\n\n')
      .slice(1)
      .map((cue) => {
        const [times, payload] = cue.trim().split('\n');
        const [x, y, w, h] = /#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(payload)!.slice(1).map(Number);
        return { start: times.split(' --> ')[0], end: times.split(' --> ')[1], x, y, w, h, ref: payload.split('#')[0] };
      });
    expect(cues.map((c) => [c.start, c.end])).toEqual([
      ['00:00:00.000', '00:00:02.000'],
      ['00:00:02.000', '00:00:04.000'],
      ['00:00:04.000', '00:00:06.000'],
      ['00:00:06.000', '00:00:08.000'],
      ['00:00:08.000', '00:00:10.000'],
    ]);
    const sprite = await imageLuma(file('ten.jpg'), dir);
    for (const [k, cue] of cues.entries()) {
      expect(cue).toMatchObject({ ref: 'ten.jpg', w: 96, h: 72 });
      // The middle of the tile, away from JPEG blocks bleeding across tile edges.
      const rows = Array.from({ length: cue.h / 2 }, (_, r) =>
        sprite.subarray((cue.y + cue.h / 4 + r) * 288 + cue.x + cue.w / 4, (cue.y + cue.h / 4 + r) * 288 + cue.x + (3 * cue.w) / 4),
      );
      // Tiles are 40 levels apart.
      near(mean(Buffer.concat(rows)), levels[2 * k], 8);
    }
  });

  it('is made by a stitch that asks for it, beside the output, from the joined file', async () => {
    const a = await makeClip(dir, 'join-a', { durationSec: 3 });
    const b = await makeClip(dir, 'join-b', { durationSec: 3, pattern: 'smptebars' });
    const outputPath = file('joined.mp4');
    const report = await stitchClips({
      inputs: [a, b],
      outputPath,
      workDir: dir,
      settings: joinSettings.parse({ poster: {}, thumbnails: { every: 1, width: 80 } }),
    });
    expect(report.poster).toEqual({ path: file('joined.poster.jpg'), atSec: expect.any(Number) });
    // Not within half a second of the join at 3 s.
    expect(Math.abs(report.poster!.atSec - 3)).toBeGreaterThan(0.5);
    expect(report.thumbnails).toMatchObject({
      spritePath: file('joined.thumbnails.jpg'),
      indexPath: file('joined.thumbnails.vtt'),
      layout: { count: 6, columns: 3, rows: 2, width: 80, height: 60 },
    });
    expect(readFileSync(file('joined.thumbnails.vtt'), 'utf8')).toContain('00:00:05.000 --> 00:00:06.000\njoined.thumbnails.jpg#xywh=160,60,80,60');
    expect(await imageSize(file('joined.thumbnails.jpg'))).toEqual({ width: 240, height: 120, codec: 'mjpeg' });

    const plain = await stitchClips({ inputs: [a, b], outputPath: file('plain.mp4'), workDir: dir });
    expect(plain.poster).toBeUndefined();
    expect(existsSync(file('plain.poster.jpg'))).toBe(false);
  });
});
