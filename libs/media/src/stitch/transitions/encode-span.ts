import { writeFile } from 'node:fs/promises';
import { FfmpegInput, runFfmpeg } from '../../ffmpeg/ffmpeg-runner';
import { videoEncoder } from '../normalise-clip';
import { audioBitrateOf, frameDurationSec, ResolvedTarget } from '../output-target';
import { joinedFrames, TransitionFrames } from './join-transition';
import { spanGraph, SpanSource } from './span-graph';

/** ffmpeg's AAC encoder delay, which it declares in the MP4 edit list: where a piece's sound starts in its frames. */
export const FFMPEG_AAC_PRIMING = 1024;

export interface SpanFiles {
  /** A file holding the range's pictures, after `skipFrames` that are decoded only. */
  videoPath: string;
  skipFrames: number;
  /** The file whose first audio track is the clip's whole sound; undefined: silence. */
  audioPath?: string;
  frames: number;
  /** Sample of that sound where the range's sound starts (see SpanSource). */
  audioFrom: number;
}

export interface EncodeSpanJob {
  sources: SpanFiles[];
  joins: Array<TransitionFrames | undefined>;
  target: ResolvedTarget;
  /** H.264 level of the clips the piece joins by copy (avcC level_idc), so the parameter sets agree; undefined: the encoder chooses. */
  levelIdc?: number;
  /** Threads for decoding, filtering and encoding: short pieces run best one thread each, several at once. */
  threads: number;
  outputPath: string;
  /** Where the filtergraph script goes (hundreds of clips would not fit in one argument). */
  graphPath: string;
  /** Index at the front: for a file published as it is; pieces for the copy join need none. */
  faststart: boolean;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * Encodes the sources with their transitions into one MP4 in the target encoding (the normalised
 * clips' encoder and settings, the target's time scale, limited range; AAC at the target's rate), so
 * the copy join can take the result beside the clips' copied parts.
 */
export async function encodeSpan(job: EncodeSpanJob): Promise<void> {
  const { target } = job;
  const inputs: FfmpegInput[] = [];
  const sources: SpanSource[] = job.sources.map((source) => {
    const video = inputs.push({ source: source.videoPath, options: ['-threads', String(job.threads), '-an', '-sn', '-dn'] }) - 1;
    const audio = source.audioPath === undefined ? undefined : inputs.push({ source: source.audioPath, options: ['-vn', '-sn', '-dn'] }) - 1;
    return { video, skipFrames: source.skipFrames, audio, frames: source.frames, audioFrom: source.audioFrom };
  });
  await writeFile(
    job.graphPath,
    spanGraph({ sources, joins: job.joins, rate: target.frameRate, sampleRate: target.audioSampleRate, channels: target.audioChannels }),
  );
  const frames = joinedFrames(
    job.sources.map((s) => s.frames),
    job.joins,
  );
  await runFfmpeg({
    inputs,
    output: job.outputPath,
    outputOptions: [
      '-filter_complex_script',
      job.graphPath,
      '-filter_complex_threads',
      String(job.threads),
      '-map',
      '[v]',
      '-map',
      '[a]',
      ...videoEncoder(target, job.threads),
      ...(job.levelIdc ? ['-level', `${Math.floor(job.levelIdc / 10)}.${job.levelIdc % 10}`] : []),
      '-pix_fmt',
      'yuv420p',
      '-color_range',
      'tv',
      '-video_track_timescale',
      String(target.timescale),
      '-c:a',
      'aac',
      '-b:a',
      audioBitrateOf(target),
      '-ar',
      String(target.audioSampleRate),
      '-ac',
      String(target.audioChannels),
      '-map_metadata',
      '-1',
      ...(job.faststart ? ['-movflags', '+faststart'] : []),
      '-f',
      'mp4',
    ],
    expectedDurationSec: frames * frameDurationSec(target.frameRate),
    onProgress: job.onProgress,
    signal: job.signal,
  });
}
