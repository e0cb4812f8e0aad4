import { z } from 'zod';
import { mediaSource } from './common';

/**
 * What a join job's `settings` may ask of the joined file (docs/api.md "Join output settings").
 * Every part is optional; without them the output is exactly what a plain join gives.
 */

/** Whole or fractional number in [min, max], with a message that says the range and its unit. */
function between(min: number, max: number, unit: string, options: { int?: boolean; even?: boolean; exclusiveMin?: boolean } = {}) {
  const kind = options.even ? 'an even whole number' : options.int ? 'a whole number' : 'a number';
  const range = `${options.exclusiveMin ? `more than ${min}` : `from ${min}`} ${options.exclusiveMin ? 'and at most' : 'to'} ${max}${unit ? ` ${unit}` : ''}`;
  // One message per field: each check stops the rest when it fails.
  const check = { error: `must be ${kind} ${range}`, abort: true };
  let schema = z.number({ error: check.error });
  if (options.int || options.even) schema = schema.int(check);
  schema = options.exclusiveMin ? schema.gt(min, check) : schema.min(min, check);
  schema = schema.max(max, check);
  return options.even ? schema.refine((value) => value % 2 === 0, check) : schema;
}

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });

export const TRANSITION_TYPES = ['fade', 'crossfade'] as const;
export type TransitionType = (typeof TRANSITION_TYPES)[number];
export const MAX_TRANSITION_SEC = 5;

/** Between two clips: `fade` goes through black (out, then in), `crossfade` overlaps and mixes them. */
export const transitionSpec = z.strictObject({
  type: oneOf(TRANSITION_TYPES),
  duration: between(0, MAX_TRANSITION_SEC, 'seconds', { exclusiveMin: true }),
});
export type TransitionSpec = z.infer<typeof transitionSpec>;

export const OUTPUT_ASPECTS = ['9:16', '1:1', '16:9', '4:5'] as const;
export type OutputAspect = (typeof OUTPUT_ASPECTS)[number];
export const OUTPUT_FITS = ['contain', 'cover', 'stretch'] as const;
export type OutputFit = (typeof OUTPUT_FITS)[number];
export const OUTPUT_CODECS = ['h264', 'h265'] as const;
export type OutputCodec = (typeof OUTPUT_CODECS)[number];
export const OUTPUT_QUALITIES = ['draft', 'standard', 'high'] as const;
export type OutputQuality = (typeof OUTPUT_QUALITIES)[number];
export const OUTPUT_LIMITS = { minSide: 16, maxWidth: 3840, maxHeight: 2160, maxFps: 120 } as const;

/** H.264 level 5.2, the highest that phones, browsers and TVs decode: 4K at up to 64 fps. */
const H264_MAX_MACROBLOCKS_PER_SEC = 2_073_600;

/** Width and height of an aspect preset as a ratio (width / height). */
export function aspectRatio(aspect: OutputAspect): number {
  const [w, h] = aspect.split(':').map(Number);
  return w / h;
}

export const outputSettings = z
  .strictObject({
    width: between(OUTPUT_LIMITS.minSide, OUTPUT_LIMITS.maxWidth, 'pixels', { even: true }).optional(),
    height: between(OUTPUT_LIMITS.minSide, OUTPUT_LIMITS.maxHeight, 'pixels', { even: true }).optional(),
    aspect: oneOf(OUTPUT_ASPECTS).optional(),
    /** How a clip of another shape fills the frame: contain (letterbox/pillarbox), cover (crop), stretch. */
    fit: oneOf(OUTPUT_FITS).default('contain'),
    fps: between(1, OUTPUT_LIMITS.maxFps, 'frames per second').optional(),
    codec: oneOf(OUTPUT_CODECS).optional(),
    quality: oneOf(OUTPUT_QUALITIES).optional(),
    crf: between(0, 51, '', { int: true }).optional(),
    audioBitrate: between(32, 512, 'kbit/s', { int: true }).optional(),
  })
  .superRefine((output, ctx) => {
    if (output.aspect !== undefined && output.width !== undefined && output.height !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['aspect'], message: 'cannot be used with both width and height: give an aspect with at most one of them' });
    }
    if (output.quality !== undefined && output.crf !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['crf'], message: 'cannot be used with quality: give one of them' });
    }
    const ratio = output.aspect && aspectRatio(output.aspect);
    // The side derived from the aspect must stay inside the limits too (a height never overflows: no preset is wider than 3840:2160).
    if (ratio && output.width !== undefined && output.height === undefined && output.width / ratio > OUTPUT_LIMITS.maxHeight) {
      ctx.addIssue({
        code: 'custom',
        path: ['width'],
        message: `is too wide for aspect ${output.aspect}: the height would exceed ${OUTPUT_LIMITS.maxHeight} pixels`,
      });
    }
    const height = output.height ?? (ratio && output.width !== undefined ? output.width / ratio : undefined);
    if ((output.codec ?? 'h264') === 'h264' && output.width !== undefined && height !== undefined && output.fps !== undefined) {
      const macroblocks = Math.ceil(output.width / 16) * Math.ceil(height / 16);
      const maxFps = Math.floor(H264_MAX_MACROBLOCKS_PER_SEC / macroblocks);
      if (output.fps > maxFps) {
        ctx.addIssue({
          code: 'custom',
          path: ['fps'],
          message: `is more than H.264 can carry at ${output.width}x${Math.round(height)} for common players (level 5.2: at most ${maxFps} fps): lower fps or size, or choose codec "h265"`,
        });
      }
    }
  });
export type OutputSettings = z.infer<typeof outputSettings>;

/**
 * How much longer re-encoding takes with these output settings than a plain join's (libx264 veryfast),
 * measured on 720p: libx264 medium about 3x, libx265 veryfast about 5x, fast about 7x. Sizes the
 * orchestrator's deadline for the stitch; never below a plain join's.
 */
const ENCODING_COST: Record<OutputCodec, Record<OutputQuality, number>> = {
  h264: { draft: 1, standard: 1, high: 3 },
  h265: { draft: 2, standard: 5, high: 7 },
};
export function encodingCost(output: Pick<OutputSettings, 'codec' | 'quality'> | undefined): number {
  return output ? ENCODING_COST[output.codec ?? 'h264'][output.quality ?? 'standard'] : 1;
}

export const loudnessSettings = z.strictObject({
  /** EBU R128 integrated loudness, LUFS. */
  integrated: between(-70, -5, 'LUFS').default(-16),
  /** Highest true peak, dBTP. */
  truePeak: between(-9, 0, 'dBTP').default(-1),
});
export type LoudnessSettings = z.infer<typeof loudnessSettings>;

export const soundtrackSettings = z.strictObject({
  /** http(s) URL; `upload://<id>` only at the HTTP API, which resolves it before publishing. */
  src: mediaSource,
  volume: between(0, 1, '').default(0.25),
  fadeOut: between(0, 30, 'seconds').default(2),
  /** Lower the music while the clips' own sound plays. */
  duck: z.boolean({ error: 'must be true or false' }).default(false),
});
export type SoundtrackSettings = z.infer<typeof soundtrackSettings>;

/** No `at`: a well-chosen frame (not black, not a fade) from the first part of the output. */
export const posterSettings = z.strictObject({
  at: z.number({ error: 'must be a number of seconds from 0' }).min(0, 'must be a number of seconds from 0').optional(),
});
export type PosterSettings = z.infer<typeof posterSettings>;

export const thumbnailSettings = z.strictObject({
  every: between(0.5, 60, 'seconds').default(5),
  width: between(32, 640, 'pixels', { int: true }).default(160),
});
export type ThumbnailSettings = z.infer<typeof thumbnailSettings>;

export const joinSettings = z.strictObject({
  preset: z.literal('mp4', { error: 'must be "mp4"' }).optional(),
  output: outputSettings.optional(),
  /** Between every two clips, unless a clip's own `transition` says otherwise. */
  transition: transitionSpec.optional(),
  loudness: loudnessSettings.optional(),
  soundtrack: soundtrackSettings.optional(),
  poster: posterSettings.optional(),
  thumbnails: thumbnailSettings.optional(),
});
/** Settings as validated, defaults filled in. */
export type JoinSettings = z.infer<typeof joinSettings>;
/** Settings as a caller may write them (defaults may be left out). */
export type JoinSettingsInput = z.input<typeof joinSettings>;

/** A clip's own transition into the next clip applies to that join; the last clip has no next one. */
export function lastAssetTransition(body: { assets: ReadonlyArray<{ transition?: unknown }> }, ctx: z.RefinementCtx): void {
  const last = body.assets.length - 1;
  if (last >= 0 && body.assets[last].transition !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['assets', last, 'transition'], message: 'is on the last clip, which has no next clip to transition into' });
  }
}
