import { MediaInfo, VideoStreamInfo } from './media-info';
import { Rational, sameRational, toNumber } from './rational';

/** What the stitched file should be. Unset width/height/fps come from the first clip. */
export interface OutputTarget {
  maxWidth: number;
  maxHeight: number;
  width?: number;
  height?: number;
  fps?: number;
  audioSampleRate: number;
  audioChannels: number;
  videoCrf: number;
  videoPreset: string;
}

/** Every AAC frame we encode uses this rate: the joined track, and the frames re-encoded around copy joins. */
export const AAC_BITRATE = '192k';

export const DEFAULT_OUTPUT_TARGET: OutputTarget = {
  maxWidth: 1920,
  maxHeight: 1080,
  audioSampleRate: 48_000,
  audioChannels: 2,
  videoCrf: 20,
  videoPreset: 'veryfast',
};

/** The target with every choice made: exact size, frame rate and the MP4 video time scale. */
export interface ResolvedTarget extends OutputTarget {
  width: number;
  height: number;
  frameRate: Rational;
  /** Ticks per second of the output video track; a whole number of ticks per frame. */
  timescale: number;
}

const COMMON_RATES: Rational[] = [
  { num: 24000, den: 1001 }, { num: 24, den: 1 }, { num: 25, den: 1 }, { num: 30000, den: 1001 }, { num: 30, den: 1 },
  { num: 50, den: 1 }, { num: 60000, den: 1001 }, { num: 60, den: 1 },
];
const MAX_FPS = 120;
const MIN_TIMESCALE = 10_000;

/** Pure: the first clip's display size (after pixel aspect and rotation) fitted into the cap, and its frame rate. */
export function resolveTarget(first: MediaInfo, overrides: Partial<OutputTarget> = {}): ResolvedTarget {
  const target = { ...DEFAULT_OUTPUT_TARGET, ...overrides };
  const display = displaySize(first.video);
  const fitted = fitInside(display, { width: target.maxWidth, height: target.maxHeight }, false);
  const width = target.width ? even(target.width) : fitted.width;
  const height = target.height ? even(target.height) : fitted.height;
  const frameRate = target.fps ? rateFromNumber(target.fps) : nominalFrameRate(first.video);
  return { ...target, width, height, frameRate, timescale: chooseTimescale(first.video, frameRate) };
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
