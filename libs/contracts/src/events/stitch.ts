import { z } from 'zod';
import { uploadSpec } from './assets';
import { envelope, jobId, tenantId } from './common';
import { joinSettings, transitionSpec } from './join-settings';

/** orchestrator → stitcher: join these clips, in this order, into `outputKey`. */
export const stitchRequested = z.strictObject({
  ...envelope,
  jobId,
  tenantId,
  clips: z
    .array(
      z.strictObject({
        src: z.string().min(1).max(2048),
        /** A rendered child's output: read from the platform's storage at childOutputKey(jobId, index), not through src. */
        rendered: z.literal(true).optional(),
        /** The clip's own transition into the next one (overrides settings.transition for that join). */
        transition: transitionSpec.optional(),
      }),
    )
    .min(1),
  outputKey: z.string().min(1).max(256),
  /** The join job's settings as validated at submit; absent: a plain join. */
  settings: joinSettings.optional(),
  upload: uploadSpec.optional(),
});
export type StitchRequested = z.infer<typeof stitchRequested>;

/**
 * `audio` (soundtrack, loudness) and `stills` (poster, thumbnails) run only for joins that ask for them; other joins skip their share.
 * `audio` follows `verify`: the join checks its own file first, so progress never waits behind a phase listed later.
 */
export const STITCH_PHASES = ['download', 'probe', 'normalise', 'join', 'verify', 'audio', 'stills', 'store', 'upload'] as const;
export type StitchProgressPhase = (typeof STITCH_PHASES)[number];

export const stitchProgress = z.strictObject({
  ...envelope,
  jobId,
  phase: z.enum(STITCH_PHASES),
  /** 0..1 over the whole stitch. */
  fraction: z.number().min(0).max(1),
});
export type StitchProgress = z.infer<typeof stitchProgress>;

/**
 * What a finished job's output does not fully keep of its inputs (a clip's undecodable head, say),
 * one sentence each: the job still finishes, but the caller is told.
 */
export const MAX_JOB_WARNINGS = 20;
export const jobWarnings = z.array(z.string().min(1).max(1000)).max(MAX_JOB_WARNINGS);

export const stitchCompleted = z.strictObject({
  ...envelope,
  jobId,
  outputKey: z.string(),
  durationSec: z.number().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  uploadedUrl: z.string().optional(),
  warnings: jobWarnings.optional(),
  /** Seconds the output is shorter than its clips together, because crossfades overlap them; only when any. */
  overlapSec: z.number().nonnegative().optional(),
  /** Where the poster (JPEG) and the thumbnail index (WebVTT, beside its sprite) are stored, when asked for. */
  posterKey: z.string().min(1).max(256).optional(),
  thumbnailsKey: z.string().min(1).max(256).optional(),
  /** When the stitcher began this stitch: the job's start, when no stitch.progress came before (short stitches send none). */
  startedAt: z.string().datetime().optional(),
});
export type StitchCompleted = z.infer<typeof stitchCompleted>;

export const stitchFailed = z.strictObject({
  ...envelope,
  jobId,
  reason: z.string().min(1),
  clipIndex: z.number().int().nonnegative().optional(),
});
export type StitchFailed = z.infer<typeof stitchFailed>;
