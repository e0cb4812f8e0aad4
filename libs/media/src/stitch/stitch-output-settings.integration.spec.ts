import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinSettings, type JoinSettingsInput } from '@vrs/contracts';
import { frameHashes, lumaAt, makeClip, SAMPLE_MEDIA } from '../../test/media-fixtures';
import { runFfmpeg, runFfprobe } from '../ffmpeg/ffmpeg-runner';
import { hevcParameterSets } from './hevc-parameter-sets';
import { stitchClips } from './stitch-clips';

interface VideoFacts {
  codec: string;
  tag: string;
  profile: string;
  width: number;
  height: number;
  fps: string;
  frames: number;
  audioBitRate: number;
}

/** What ffprobe says of the output's streams, independently of the stitcher's own check. */
async function videoFacts(path: string): Promise<VideoFacts> {
  const json = JSON.parse(
    await runFfprobe({
      input: path,
      args: ['-show_entries', 'stream=codec_type,codec_name,codec_tag_string,profile,width,height,r_frame_rate,nb_frames,bit_rate', '-of', 'json'],
    }),
  ) as { streams: Array<Record<string, string | number>> };
  const video = json.streams.find((s) => s.codec_type === 'video')!;
  const audio = json.streams.find((s) => s.codec_type === 'audio')!;
  return {
    codec: String(video.codec_name),
    tag: String(video.codec_tag_string),
    profile: String(video.profile),
    width: Number(video.width),
    height: Number(video.height),
    fps: String(video.r_frame_rate),
    frames: Number(video.nb_frames),
    audioBitRate: Number(audio.bit_rate),
  };
}

/** Pictures a full decode yields, and whatever the decoder complained about (wrong parameter sets show here). */
async function decodeAll(path: string, dir: string): Promise<{ frames: number; errors: string[] }> {
  const errors: string[] = [];
  await runFfmpeg({
    inputs: [{ source: path }],
    output: '-',
    outputOptions: ['-v', 'error', '-map', '0:v:0', '-f', 'null'],
    onStderr: (line) => {
      if (line.trim()) errors.push(line);
    },
  });
  return { frames: (await frameHashes(path, dir)).length, errors };
}

const mean = (bytes: Buffer) => bytes.reduce((sum, b) => sum + b, 0) / bytes.length;

describe('stitchClips with settings.output (real ffmpeg)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stitch-output-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const stitch = (inputs: string[], settings: JoinSettingsInput) => {
    const outputPath = join(dir, `out-${++n}.mp4`);
    return stitchClips({ inputs, outputPath, workDir: dir, settings: joinSettings.parse(settings) }).then((report) => ({ report, outputPath }));
  };
  /** 640x360: black 140 px on each side, white in the middle 360 px, so crops and bars can be seen. */
  const bands = () =>
    makeClip(dir, `bands-${++n}`, {
      size: '640x360',
      draw: 'drawbox=x=0:y=0:w=640:h=360:color=white:t=fill,drawbox=x=0:y=0:w=140:h=360:color=black:t=fill,drawbox=x=500:y=0:w=140:h=360:color=black:t=fill',
    });

  it('fits a 16:9 clip into 9:16 by cover (sides cropped), contain (bars) and stretch', async () => {
    const clip = await bands();
    const row = (luma: Buffer, y: number) => luma.subarray(y * 360, (y + 1) * 360);
    for (const fit of ['cover', 'contain', 'stretch'] as const) {
      const { report, outputPath } = await stitch([clip, clip], { output: { aspect: '9:16', width: 360, fit } });
      expect(await videoFacts(outputPath)).toMatchObject({ codec: 'h264', width: 360, height: 640, fps: '25/1', frames: 100 });
      expect(report.clips.map((c) => c.action)).toEqual(['normalise', 'normalise']);
      expect(report.clips[0].reasons).toEqual(['size 640x360 (needs 360x640)']);
      const luma = await lumaAt(outputPath, 1, dir);
      expect(luma.length).toBe(360 * 640);
      if (fit === 'cover') {
        // The middle 360 of 640 source columns fill the frame: all white, top to bottom.
        expect(mean(luma)).toBeGreaterThan(225);
      } else {
        // The whole source width is kept: black bands on both sides of the middle row.
        expect(row(luma, 320)[20]).toBeLessThan(40);
        expect(row(luma, 320)[180]).toBeGreaterThan(200);
        expect(row(luma, 320)[340]).toBeLessThan(40);
        // contain: black bars above and below the picture; stretch: the picture reaches the top.
        if (fit === 'contain') expect(mean(row(luma, 4))).toBeLessThan(40);
        else expect(row(luma, 4)[180]).toBeGreaterThan(200);
      }
    }
  });

  it('makes a 9:16 cover of a real 1080p clip', async () => {
    const { report, outputPath } = await stitch([join(SAMPLE_MEDIA, 'video.mp4')], { output: { aspect: '9:16', width: 360, fit: 'cover', quality: 'draft' } });
    expect(await videoFacts(outputPath)).toMatchObject({ codec: 'h264', profile: 'High', width: 360, height: 640, fps: '25/1' });
    expect(report.durationSec).toBeCloseTo(5, 1);
    // x264 records its settings in the stream: the draft quality's CRF.
    expect(readFileSync(outputPath).includes('crf=28.0')).toBe(true);
  });

  it('encodes H.265 Main tagged hvc1, decodable from end to end', async () => {
    const a = await makeClip(dir, 'h264-a');
    const b = await makeClip(dir, 'h264-b', { size: '320x180' });
    const { report, outputPath } = await stitch([a, b], { output: { codec: 'h265', quality: 'draft' } });
    expect(await videoFacts(outputPath)).toMatchObject({ codec: 'hevc', tag: 'hvc1', profile: 'Main', width: 320, height: 240, frames: 100 });
    expect(report.clips.map((c) => c.reasons[0])).toEqual(['codec h264 (needs H.265)', 'codec h264 (needs H.265)']);
    expect(await decodeAll(outputPath, dir)).toEqual({ frames: 100, errors: [] });
  });

  it("copies H.265 clips that match, and normalises one whose parameter sets differ from the normalised clips'", async () => {
    const hevc = [await makeClip(dir, 'hevc-a', { codec: 'h265' }), await makeClip(dir, 'hevc-b', { codec: 'h265', pattern: 'smptebars' })];
    const alike = await stitch(hevc, { output: { codec: 'h265' } });
    expect(alike.report.clips.map((c) => c.action)).toEqual(['copy', 'copy']);
    expect(await frameHashes(alike.outputPath, dir)).toEqual([...(await frameHashes(hevc[0], dir)), ...(await frameHashes(hevc[1], dir))]);
    expect(await videoFacts(alike.outputPath)).toMatchObject({ codec: 'hevc', tag: 'hvc1' });

    // A clip in another codec is encoded with the stitch's own parameter sets; the HEVC clips, made with others, follow.
    const h264 = await makeClip(dir, 'h264-c');
    expect(hevcParameterSets(hevc[0])).not.toBeUndefined();
    const mixed = await stitch([hevc[0], h264, hevc[1]], { output: { codec: 'h265' } });
    expect(mixed.report.clips.map((c) => c.reasons)).toEqual([
      ["H.265 parameter sets differ from the other clips'"],
      ['codec h264 (needs H.265)'],
      ["H.265 parameter sets differ from the other clips'"],
    ]);
    expect(await decodeAll(mixed.outputPath, dir)).toEqual({ frames: 150, errors: [] });

    // Our own H.265 output carries the stitch's parameter sets, so joining it again can copy its packets.
    const alone = await stitch([h264], { output: { codec: 'h265' } });
    expect(hevcParameterSets(mixed.outputPath)).toBe(hevcParameterSets(alone.outputPath));
    expect(hevcParameterSets(mixed.outputPath)).not.toBe(hevcParameterSets(hevc[0]));
  });

  it('changes the frame rate', async () => {
    const clip = await makeClip(dir, 'fps-25', { fps: 25 });
    const { report, outputPath } = await stitch([clip, clip], { output: { fps: 30 } });
    expect(await videoFacts(outputPath)).toMatchObject({ fps: '30/1', frames: 120, width: 320, height: 240 });
    expect(report.fps).toBe(30);
  });

  it('still copies the clips that already match the requested format, bit for bit', async () => {
    const a = await makeClip(dir, 'match-a', { size: '640x360' });
    const b = await makeClip(dir, 'other-b', { size: '320x240', fps: 30 });
    const c = await makeClip(dir, 'match-c', { size: '640x360', pattern: 'smptebars' });
    const { report, outputPath } = await stitch([a, b, c], { output: { width: 640, height: 360, fps: 25, quality: 'high' } });
    expect(report.method).toBe('copy-join');
    expect(report.clips.map((clip) => clip.action)).toEqual(['copy', 'normalise', 'copy']);
    const frames = await frameHashes(outputPath, dir);
    expect(frames.slice(0, 50)).toEqual(await frameHashes(a, dir));
    expect(frames.slice(100)).toEqual(await frameHashes(c, dir));
    // Only the normalised clip was encoded, at the high quality's CRF.
    expect(readFileSync(outputPath).includes('crf=17.0')).toBe(true);
    expect(await videoFacts(outputPath)).toMatchObject({ width: 640, height: 360, fps: '25/1', frames: 150 });
  });

  it('encodes the sound at the asked bit rate, still copying the picture', async () => {
    const clip = await makeClip(dir, 'sound', { audio: { source: 'anoisesrc=color=pink:amplitude=0.5' } });
    const plain = await stitch([clip, clip], {});
    const { report, outputPath } = await stitch([clip, clip], { output: { audioBitrate: 64 } });
    expect(report.clips.map((c) => c.action)).toEqual(['copy', 'copy']);
    const rate = (await videoFacts(outputPath)).audioBitRate;
    expect(rate).toBeGreaterThan(48_000);
    expect(rate).toBeLessThan(80_000);
    // Without a bit rate the clips' own AAC frames (128 kbit/s) are copied.
    expect((await videoFacts(plain.outputPath)).audioBitRate).toBeGreaterThan(110_000);
  });
});
