import { z } from 'zod';
import { envelope, jobId, tenantId } from './common';
import { uploadSpec } from './assets';

/** orchestrator → stitcher: join these clips, in this order, into `outputKey`. */
export const stitchRequested = z.strictObject({
  ...envelope,
  jobId,
  tenantId,
  clips: z.array(z.strictObject({
    src: z.string().min(1).max(2048),
    /** A rendered child's output: read from the platform's storage at childOutputKey(jobId, index), not through src. */
    rendered: z.literal(true).optional(),
  })).min(1),
  outputKey: z.string().min(1).max(256),
  upload: uploadSpec.optional(),
});
export type StitchRequested = z.infer<typeof stitchRequested>;

export const STITCH_PHASES = ['download', 'probe', 'normalise', 'join', 'verify', 'store', 'upload'] as const;

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
});
export type StitchCompleted = z.infer<typeof stitchCompleted>;

export const stitchFailed = z.strictObject({
  ...envelope,
  jobId,
  reason: z.string().min(1),
  clipIndex: z.number().int().nonnegative().optional(),
});
export type StitchFailed = z.infer<typeof stitchFailed>;
