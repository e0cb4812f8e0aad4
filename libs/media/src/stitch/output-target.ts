import { aspectRatio, OUTPUT_LIMITS, type OutputAspect, type OutputCodec, type OutputFit, type OutputSettings } from '@vrs/contracts';
import { MediaInfo, VideoStreamInfo } from './media-info';
import { Rational, sameRational, toNumber } from './rational';

/**
 * What the stitched file should be. Unset width/height/fps come from the first clip (width or height
 * alone keeps its shape; `aspect` gives the shape and keeps its shorter side, see frameSize).
 */
export interface OutputTarget {
  /** Caps on a size taken from the first clip; an explicit width/height is not capped. */
  maxWidth: number;
  maxHeight: number;
  width?: number;
  height?: number;
  aspect?: OutputAspect;
  /** How a clip of another shape fills the frame: contain (bars), cover (cropped), stretch. */
  fit: OutputFit;
  fps?: number;
  codec: OutputCodec;
  audioSampleRate: number;
  audioChannels: number;
  /** AAC bit rate of the output, kbit/s. Unset: 192, and the copy join may keep the clips' own AAC frames. */
  audioBitrate?: number;
  videoCrf: number;
  videoPreset: string;
}

/** The output's video stream per codec setting: ffprobe's codec name and the profile we encode. */
export const VIDEO_CODECS = {
  h264: { codec: 'h264', profile: 'High', name: 'H.264' },
  h265: { codec: 'hevc', profile: 'Main', name: 'H.265' },
} as const;

/** The AAC rate when the caller chose none: the joined track, and the frames re-encoded around copy joins. */
export const AAC_BITRATE = '192k';

/** ffmpeg's `-b:a` for the target's sound. */
export const audioBitrateOf = (target: Pick<OutputTarget, 'audioBitrate'>): string => (target.audioBitrate ? `${target.audioBitrate}k` : AAC_BITRATE);

export const DEFAULT_OUTPUT_TARGET: OutputTarget = {
  maxWidth: 1920,
  maxHeight: 1080,
  fit: 'contain',
  codec: 'h264',
  audioSampleRate: 48_000,
  audioChannels: 2,
  videoCrf: 20,
  videoPreset: 'veryfast',
};

/**
 * Encoder settings per codec and quality. `standard` H.264 is what a join without settings uses; x265's
 * CRF scale sits about 6 above x264's for the same look, and its slower presets cost far more time.
 */
export const QUALITY_ENCODING: Record<OutputCodec, Record<NonNullable<OutputSettings['quality']>, { crf: number; preset: string }>> = {
  h264: { draft: { crf: 28, preset: 'superfast' }, standard: { crf: 20, preset: 'veryfast' }, high: { crf: 17, preset: 'medium' } },
  h265: { draft: { crf: 32, preset: 'ultrafast' }, standard: { crf: 26, preset: 'veryfast' }, high: { crf: 22, preset: 'fast' } },
};

/** Pure: a join's `settings.output` as target overrides; nothing for a join without one. */
export function outputTargetFor(output: OutputSettings | undefined): Partial<OutputTarget> {
  if (!output) return {};
  const codec = output.codec ?? 'h264';
  const encoding = QUALITY_ENCODING[codec][output.quality ?? 'standard'];
  const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
  return defined({
    width: output.width,
    height: output.height,
    aspect: output.aspect,
    fit: output.fit,
    fps: output.fps,
    codec,
    audioBitrate: output.audioBitrate,
    videoCrf: output.crf ?? encoding.crf,
    videoPreset: encoding.preset,
  });
}

/** The target with every choice made: exact size, frame rate and the MP4 video time scale. */
export interface ResolvedTarget extends OutputTarget {
  width: number;
  height: number;
  frameRate: Rational;
  /** Ticks per second of the output video track; a whole number of ticks per frame. */
  timescale: number;
}

const COMMON_RATES: Rational[] = [
  { num: 24000, den: 1001 },
  { num: 24, den: 1 },
  { num: 25, den: 1 },
  { num: 30000, den: 1001 },
  { num: 30, den: 1 },
  { num: 50, den: 1 },
  { num: 60000, den: 1001 },
  { num: 60, den: 1 },
];
const MAX_FPS = 120;
const MIN_TIMESCALE = 10_000;

/** Pure: the first clip's display size (after pixel aspect and rotation) fitted into the cap, and its frame rate. */
export function resolveTarget(first: MediaInfo, overrides: Partial<OutputTarget> = {}): ResolvedTarget {
  const target = { ...DEFAULT_OUTPUT_TARGET, ...overrides };
  const { width, height } = frameSize(displaySize(first.video), target);
  const frameRate = target.fps ? rateFromNumber(target.fps) : nominalFrameRate(first.video);
  return { ...target, width, height, frameRate, timescale: chooseTimescale(first.video, frameRate) };
}

/**
 * Pure: the output frame. Both sides given: those. One side: the other from the aspect, else from the
 * first clip's shape. An aspect alone keeps the first clip's shorter side (at most the caps' shorter
 * side), so a 1920x1080 clip asked for 9:16 gives 1080x1920. Nothing: the first clip's size within the caps.
 */
export function frameSize(display: { width: number; height: number }, target: OutputTarget): { width: number; height: number } {
  const ratio = target.aspect ? aspectRatio(target.aspect) : display.width / display.height;
  if (target.width && target.height) return { width: even(target.width), height: even(target.height) };
  if (target.width) return withinLimits({ width: even(target.width), height: even(target.width / ratio) });
  if (target.height) return withinLimits({ width: even(target.height * ratio), height: even(target.height) });
  if (!target.aspect) return fitInside(display, { width: target.maxWidth, height: target.maxHeight }, false);
  const shorter = Math.min(display.width, display.height, target.maxWidth, target.maxHeight);
  return withinLimits(ratio < 1 ? { width: even(shorter), height: even(shorter / ratio) } : { width: even(shorter * ratio), height: even(shorter) });
}

/** A derived frame stays inside what the API accepts (3840x2160), keeping its shape. */
function withinLimits(size: { width: number; height: number }): { width: number; height: number } {
  if (size.width <= OUTPUT_LIMITS.maxWidth && size.height <= OUTPUT_LIMITS.maxHeight) return size;
  return fitInside(size, { width: OUTPUT_LIMITS.maxWidth, height: OUTPUT_LIMITS.maxHeight });
}

/** Size a viewer sees: stored size stretched by the pixel aspect, swapped when rotated a quarter turn. */
export function displaySize(video: VideoStreamInfo): { width: number; height: number } {
  const width = even((video.width * video.sar.num) / video.sar.den);
  const height = even(video.height);
  return video.rotation % 180 === 0 ? { width, height } : { width: height, height: width };
}

/** Largest even size with the same aspect that fits in the box (never larger than `size` unless `upscale`). */
export function fitInside(size: { width: number; height: number }, box: { width: number; height: number }, upscale = true): { width: number; height: number } {
  const scale = Math.min(box.width / size.width, box.height / size.height, upscale ? Infinity : 1);
  return { width: Math.min(even(size.width * scale), box.width), height: Math.min(even(size.height * scale), box.height) };
}

/** The clip's steady frame rate; for variable frame rate the closest common rate to its average. */
export function nominalFrameRate(video: VideoStreamInfo): Rational {
  const { fps, avgFps } = video;
  const valid = (r?: Rational): r is Rational => !!r && toNumber(r) >= 1 && toNumber(r) <= MAX_FPS;
  if (valid(fps) && (!valid(avgFps) || Math.abs(toNumber(fps) - toNumber(avgFps)) / toNumber(fps) < 0.01)) return fps;
  if (valid(avgFps)) return rateFromNumber(toNumber(avgFps));
  return { num: 30, den: 1 };
}

function rateFromNumber(fps: number): Rational {
  const common = COMMON_RATES.find((r) => Math.abs(toNumber(r) - fps) < 0.01);
  if (common) return common;
  return Number.isInteger(fps) ? { num: fps, den: 1 } : { num: Math.round(fps * 1000), den: 1000 };
}

/** Keeps the first clip's time scale when it can hold the frame rate exactly, so it can be copied as is. */
function chooseTimescale(first: VideoStreamInfo, rate: Rational): number {
  if (first.timeBase.num === 1 && ticksPerFrame(first.timeBase.den, rate) !== undefined && first.timeBase.den >= MIN_TIMESCALE) return first.timeBase.den;
  let timescale = rate.num;
  while (timescale < MIN_TIMESCALE) timescale *= 2;
  return timescale;
}

/** Whole ticks per frame at this time scale, or undefined when frames would fall between ticks. */
export function ticksPerFrame(timescale: number, rate: Rational): number | undefined {
  const ticks = (timescale * rate.den) / rate.num;
  return Number.isInteger(ticks) ? ticks : undefined;
}

export function frameDurationSec(rate: Rational): number {
  return rate.den / rate.num;
}

export function sameFrameRate(a: Rational | undefined, b: Rational): boolean {
  return !!a && sameRational(a, b);
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}
