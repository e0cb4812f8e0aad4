import { z } from 'zod';
import { envelope, jobId, jobStatus, tenantId } from './common';
import { webhookSpec } from './assets';
import { jobWarnings } from './stitch';

export const jobType = z.enum(['join', 'render']);

export const jobStats = z.strictObject({
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  errorAt: z.string().nullable(),
  error: z.string().nullable(),
});

export const childSummary = z.strictObject({ id: jobId, status: jobStatus, outputKey: z.string() });

/** Every change of a job's state, in order per job (`sequence`); read models keep the highest. */
export const jobStatusChanged = z.strictObject({
  ...envelope,
  jobId,
  tenantId,
  parentId: jobId.nullable(),
  type: jobType,
  status: jobStatus,
  progress: z.number().min(0).max(100),
  sequence: z.number().int().nonnegative(),
  outputKey: z.string(),
  uploadedUrl: z.string().nullable(),
  children: z.array(childSummary),
  stats: jobStats,
  /** One line for the job's log (what just happened). */
  logLine: z.string(),
  /** Only on a finished job whose output lost something of its inputs (see stitch.completed). */
  warnings: jobWarnings.optional(),
  /** Present on terminal states so the notifier can deliver it. */
  webhook: webhookSpec.optional(),
});
export type JobStatusChanged = z.infer<typeof jobStatusChanged>;

export const jobCancelRequested = z.strictObject({ ...envelope, jobId, tenantId, reason: z.string().max(500) });
export type JobCancelRequested = z.infer<typeof jobCancelRequested>;
