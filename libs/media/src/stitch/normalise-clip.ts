import { runFfmpeg } from '../ffmpeg/ffmpeg-runner';
import { audioFilterGraph, audioSegments } from './audio-graph';
import { ClipPlan } from './clip-plan';
import { MediaInfo } from './media-info';
import { audioBitrateOf, frameDurationSec, ResolvedTarget } from './output-target';
import { formatRational, toNumber } from './rational';

/**
 * Pure: ffmpeg output options that re-encode a clip to exactly the target encoding, so it joins the
 * copied clips by stream copy: the picture (ffmpeg applies rotation before this chain: autorotate) and
 * the sound, aligned to the picture and cut to its length (silence for a clip without sound).
 */
export function normaliseOutputOptions(
  clip: MediaInfo,
  plan: ClipPlan,
  target: ResolvedTarget,
  threads: number,
  undecodableHeadSec = 0,
  keyintFrames?: number,
): string[] {
  const { width, height, x, y } = plan.placement;
  const filters = [
    // Fields become whole frames first, at the clip's own frame rate; fps below then retimes them.
    ...(clip.video.interlaced ? ['bwdif=mode=send_frame:parity=auto:deint=interlaced'] : []),
    'setpts=PTS-STARTPTS',
    // A clip that starts between key pictures: the first decodable picture stands in for the head, so
    // the clip keeps its length and its sound stays in sync.
    ...(undecodableHeadSec > 0 ? [`tpad=start_duration=${undecodableHeadSec.toFixed(6)}:start_mode=clone`] : []),
    // Constant frame rate first: it also turns variable frame rate into steady frames.
    `fps=${formatRational(target.frameRate)}`,
    // Cut to the length the container declares (edit lists may end before the last stored frame).
    `trim=end_frame=${frameCount(clip, target)}`,
    `scale=${width}:${height}:flags=bicubic`,
    'setsar=1',
    // cover: the overhang is cut off; otherwise bars fill what the picture leaves.
    x < 0 || y < 0 ? `crop=${target.width}:${target.height}:${Math.max(0, -x)}:${Math.max(0, -y)}` : `pad=${target.width}:${target.height}:${x}:${y}:black`,
    'format=yuv420p',
  ];
  const frames = frameCount(clip, target);
  const [sound] = audioSegments([clip], [frames * frameDurationSec(target.frameRate)], target.audioSampleRate, 0);
  return [
    '-map',
    `0:${clip.video.index}`,
    '-filter_complex',
    audioFilterGraph([sound], target.audioSampleRate, target.audioChannels, 'audio'),
    '-map',
    '[audio]',
    '-sn',
    '-dn',
    '-map_metadata',
    '-1',
    '-vf',
    filters.join(','),
    ...videoEncoder(target, threads),
    ...(keyintFrames ? ['-g', String(keyintFrames)] : []),
    '-color_range',
    'tv',
    '-video_track_timescale',
    String(target.timescale),
    '-c:a',
    'aac',
    '-b:a',
    audioBitrateOf(target),
    '-f',
    'mp4',
  ];
}

/** The encoder and its settings for the target's codec; every normalised clip of a stitch gets the same parameter sets. */
export function videoEncoder(target: ResolvedTarget, threads: number): string[] {
  const quality = ['-preset', target.videoPreset, '-crf', String(target.videoCrf)];
  if (target.codec === 'h264') return ['-c:v', 'libx264', '-profile:v', 'high', ...quality, '-threads', String(threads)];
  // hvc1: parameter sets only in the sample entry, the tag Apple's players (and Safari) require for HEVC in MP4.
  return ['-c:v', 'libx265', '-profile:v', 'main', ...quality, '-x265-params', `log-level=error:pools=${threads}`, '-tag:v', 'hvc1'];
}

function frameCount(clip: MediaInfo, target: ResolvedTarget): number {
  return Math.max(1, Math.round(clip.video.durationSec * toNumber(target.frameRate)));
}

export interface NormaliseJob {
  clip: MediaInfo;
  plan: ClipPlan;
  target: ResolvedTarget;
  outputPath: string;
  threads: number;
  /** Seconds before the clip's first key picture (see measureClipHead). */
  undecodableHeadSec?: number;
  /** A key picture at least this often, so transitions can cut the clip close to them; undefined: the encoder's default. */
  keyintFrames?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export function normaliseClip(job: NormaliseJob): Promise<void> {
  return runFfmpeg({
    inputs: [{ source: job.clip.path }],
    output: job.outputPath,
    outputOptions: normaliseOutputOptions(job.clip, job.plan, job.target, job.threads, job.undecodableHeadSec, job.keyintFrames),
    expectedDurationSec: job.clip.video.durationSec,
    onProgress: job.onProgress,
    signal: job.signal,
  });
}
