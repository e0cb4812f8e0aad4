import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireInfrastructure } from '@vrs/testing';
import { runFfmpeg, runFfprobe } from '../src/ffmpeg/ffmpeg-runner';

/** One deterministic test clip made from ffmpeg's lavfi sources; each field is one way it can differ. */
export interface ClipSpec {
  size?: string;
  fps?: number;
  durationSec?: number;
  /** false: no audio track. */
  audio?: false | { sampleRate?: number; layout?: 'mono' | 'stereo' | '5.1'; source?: string };
  sar?: string;
  /** A quarter turn clockwise in the track's display matrix. */
  rotate?: true;
  pixFmt?: string;
  container?: 'mp4' | 'webm';
  /** Drops frames in an irregular pattern to make variable frame rate. */
  vfr?: boolean;
  /** Weaves pairs of frames into top-field-first interlaced pictures, coded as fields. */
  interlaced?: true;
  pattern?: 'testsrc2' | 'smptebars' | 'rgbtestsrc';
  /** A solid picture of this colour (e.g. 'red') instead of the pattern. */
  colour?: string;
  /** x264 quality (default 28) and key picture interval: other values give other parameter sets. */
  crf?: number;
  keyint?: number;
  /** H.265 Main (tagged hvc1) instead of H.264. */
  codec?: 'h265';
  /** More filters on the picture, e.g. drawbox shapes to find after scaling or cropping. */
  draw?: string;
}

export { SAMPLE_MEDIA } from '@vrs/testing';

export async function makeClip(dir: string, name: string, spec: ClipSpec = {}): Promise<string> {
  requireInfrastructure('ffmpeg');
  const { size = '320x240', fps = 25, durationSec = 2, pattern = 'testsrc2', container = 'mp4' } = spec;
  // interlace halves the rate, so the source runs at twice the clip's.
  const sourceFps = spec.interlaced ? fps * 2 : fps;
  const audio = spec.audio === false ? undefined : { sampleRate: 48000, layout: 'stereo', source: 'sine=frequency=440', ...spec.audio };
  const path = join(dir, `${name}.${container}`);
  const filters = [
    spec.draw ?? '',
    spec.interlaced ? 'interlace=scan=tff,setfield=tff' : '',
    spec.vfr ? "select='lt(mod(n\\,7)\\,4)'" : '',
    spec.sar ? `setsar=${spec.sar}` : '',
    `format=${spec.pixFmt ?? 'yuv420p'}`,
  ].filter(Boolean);
  const video =
    container === 'webm'
      ? ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k']
      : spec.codec === 'h265'
        ? [
            '-c:v',
            'libx265',
            '-preset',
            'ultrafast',
            '-crf',
            String(spec.crf ?? 28),
            '-x265-params',
            'log-level=error:pools=1',
            '-tag:v',
            'hvc1',
            ...(spec.keyint ? ['-g', String(spec.keyint)] : []),
          ]
        : ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(spec.crf ?? 28), '-threads', '1', ...(spec.keyint ? ['-g', String(spec.keyint)] : [])];
  const audioCodec = container === 'webm' ? ['-c:a', 'libopus'] : ['-c:a', 'aac'];
  await runFfmpeg({
    inputs: [
      { source: `${spec.colour ? `color=c=${spec.colour}:` : `${pattern}=`}size=${size}:rate=${sourceFps}:duration=${durationSec}`, format: 'lavfi' },
      ...(audio ? [{ source: `${audio.source}:sample_rate=${audio.sampleRate}:duration=${durationSec}`, format: 'lavfi' as const }] : []),
    ],
    output: path,
    outputOptions: [
      '-map',
      '0:v',
      ...(audio ? ['-map', '1:a', ...audioCodec, '-ac', String(channelCount(audio.layout)), '-channel_layout', audio.layout] : []),
      '-vf',
      filters.join(','),
      ...video,
      ...(spec.vfr ? ['-fps_mode', 'vfr'] : []),
      ...(spec.interlaced ? ['-flags', '+ildct+ilme', '-top', '1'] : []),
    ],
  });
  if (spec.rotate) await setDisplayRotation(path);
  return path;
}

/**
 * ffmpeg 5.1 cannot write a rotation, so the first track header's display matrix is set by hand to a
 * quarter turn clockwise, as phones record portrait video.
 */
async function setDisplayRotation(path: string): Promise<void> {
  const bytes = await readFile(path);
  const tkhd = bytes.indexOf('tkhd');
  // Version 0 header: type(4) version+flags(4) times, id, reserved, duration(20) reserved(8) layer..volume(8).
  const matrix = tkhd + 4 + 4 + 20 + 8 + 8;
  [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000].forEach((value, i) => bytes.writeInt32BE(value, matrix + 4 * i));
  await writeFile(path, bytes);
}

function channelCount(layout: string): number {
  return layout === 'mono' ? 1 : layout === '5.1' ? 6 : 2;
}

/** md5 of every decoded video frame, in order, for proving copied frames are bit-identical. */
export async function frameHashes(path: string, dir: string): Promise<string[]> {
  const out = join(dir, `hashes-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  await runFfmpeg({ inputs: [{ source: path }], output: out, outputOptions: ['-map', '0:v:0', '-fps_mode', 'passthrough', '-f', 'framemd5'] });
  return (await readFile(out, 'utf8'))
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').pop()!.trim());
}

/** Decoded audio as mono 48 kHz samples in -1..1, for measuring where sound is. */
export async function decodeAudio(path: string, dir: string): Promise<Float32Array> {
  const out = join(dir, `pcm-${Date.now()}-${Math.random().toString(36).slice(2)}.raw`);
  await runFfmpeg({ inputs: [{ source: path }], output: out, outputOptions: ['-map', '0:a:0', '-ac', '1', '-ar', '48000', '-f', 'f32le'] });
  const bytes = await readFile(out);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

export function peak(samples: Float32Array, fromSec: number, toSec: number): number {
  let max = 0;
  for (let i = Math.floor(fromSec * 48000); i < Math.min(samples.length, Math.floor(toSec * 48000)); i++) max = Math.max(max, Math.abs(samples[i]));
  return max;
}

export interface OutputFacts {
  videoStreams: number;
  audioStreams: number;
  width: number;
  height: number;
  videoSec: number;
  audioSec: number;
  /** Number of streams whose decode timestamps ever fail to grow. */
  nonMonotonicStreams: number;
  moovBeforeMdat: boolean;
}

/** The point-2 properties measured independently of the stitcher's own verify step. */
export async function outputFacts(path: string): Promise<OutputFacts> {
  const json = JSON.parse(await runFfprobe({ input: path, args: ['-show_streams', '-of', 'json'] })) as { streams: Array<Record<string, any>> };
  const video = json.streams.filter((s) => s.codec_type === 'video');
  const audio = json.streams.filter((s) => s.codec_type === 'audio');
  const packets = await runFfprobe({ input: path, args: ['-show_entries', 'packet=stream_index,dts', '-of', 'csv=p=0'] });
  const last: Record<string, number> = {};
  const broken = new Set<string>();
  for (const line of packets.split('\n').filter(Boolean)) {
    const [stream, dts] = line.split(',');
    if (!(Number(dts) > (last[stream] ?? -Infinity))) broken.add(stream);
    last[stream] = Number(dts);
  }
  const head = (await readFile(path)).subarray(0, 64 * 1024).toString('latin1');
  return {
    videoStreams: video.length,
    audioStreams: audio.length,
    width: video[0]?.width,
    height: video[0]?.height,
    videoSec: Number(video[0]?.duration),
    audioSec: Number(audio[0]?.duration),
    nonMonotonicStreams: broken.size,
    moovBeforeMdat: head.indexOf('moov') >= 0 && (head.indexOf('mdat') < 0 || head.indexOf('moov') < head.indexOf('mdat')),
  };
}

/** When each picture is shown, in seconds, in display order (from packet timestamps; nothing decoded). */
export async function pictureTimes(path: string): Promise<number[]> {
  const csv = await runFfprobe({ input: path, args: ['-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0'] });
  return csv
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
}

export async function videoSeconds(path: string): Promise<number> {
  const json = JSON.parse(
    await runFfprobe({ input: path, args: ['-select_streams', 'v:0', '-show_entries', 'stream=duration:format=duration', '-of', 'json'] }),
  );
  return Number(json.streams[0]?.duration ?? json.format.duration);
}

/** ffmpeg's idet verdict over a stretch of a file: how many frames look interlaced or progressive. */
export async function interlaceVerdict(path: string, fromSec: number, lengthSec: number): Promise<{ interlaced: number; progressive: number }> {
  let verdict = '';
  await runFfmpeg({
    inputs: [{ source: path, options: ['-ss', String(fromSec), '-t', String(lengthSec)] }],
    output: '/dev/null',
    outputOptions: ['-v', 'info', '-an', '-vf', 'idet', '-f', 'null'],
    onStderr: (line) => {
      if (line.includes('Multi frame detection')) verdict = line;
    },
  });
  const count = (label: string) => Number(new RegExp(`${label}:\\s*(\\d+)`).exec(verdict)?.[1] ?? NaN);
  return { interlaced: count('TFF') + count('BFF'), progressive: count('Progressive') };
}

/** One decoded picture as 8-bit luma, row by row. */
export async function lumaAt(path: string, atSec: number, dir: string): Promise<Buffer> {
  const out = join(dir, `luma-${Date.now()}-${Math.random().toString(36).slice(2)}.gray`);
  await runFfmpeg({
    inputs: [{ source: path, options: ['-ss', String(atSec)] }],
    output: out,
    outputOptions: ['-frames:v', '1', '-pix_fmt', 'gray', '-f', 'rawvideo'],
  });
  return readFile(out);
}
