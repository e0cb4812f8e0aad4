import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeJson } from '@vrs/media';

export interface StitchedOutput {
  duration: number;
  videoDuration: number;
  audioDuration: number;
  fps: number;
  videoStreams: number;
  audioStreams: number;
  videoCodec?: string;
  audioCodec?: string;
  faststart: boolean;
  bytes: Buffer;
}

/** A file's picture length: the stitcher cuts each clip to its video (video.mp4's audio runs 56 ms longer). */
export const videoDurationOf = async (path: string) => Number((await ffprobeJson(path)).streams.find((s) => s.codec_type === 'video')?.duration);

/** Downloads an output and reads what the checks need: streams, durations, and whether moov precedes mdat. */
export async function probeStitched(url: string): Promise<StitchedOutput> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  const dir = await mkdtemp(join(tmpdir(), 'probe-'));
  try {
    const file = join(dir, 'out.mp4');
    await writeFile(file, bytes);
    const info = await ffprobeJson(file);
    const video = info.streams.filter((s) => s.codec_type === 'video');
    const audio = info.streams.filter((s) => s.codec_type === 'audio');
    const [num, den] = String(video[0]?.avg_frame_rate ?? '0/1')
      .split('/')
      .map(Number);
    return {
      duration: Number(info.format.duration),
      videoDuration: Number(video[0]?.duration),
      audioDuration: Number(audio[0]?.duration),
      fps: num / den,
      videoStreams: video.length,
      audioStreams: audio.length,
      videoCodec: video[0]?.codec_name,
      audioCodec: audio[0]?.codec_name,
      faststart: bytes.indexOf('moov') < bytes.indexOf('mdat'),
      bytes,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
