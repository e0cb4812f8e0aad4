import { z } from 'zod';
import { sealedValue } from '../secrets/upload-secret';
import { envelope, jobId, jobStatus, tenantId } from './common';
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

/** `outputUrl`: the signed URL of the (future) output, the same as `GET /jobs/:id` shows. */
export const childSummary = z.strictObject({ id: jobId, status: jobStatus, outputKey: z.string(), outputUrl: z.string() });

/** A job at one moment, as other systems may see it: nothing secret (no webhook target, no upload credentials). */
const jobSnapshot = {
  jobId,
  tenantId,
  parentId: jobId.nullable(),
  type: jobType,
  status: jobStatus,
  progress: z.number().min(0).max(100),
  sequence: z.number().int().nonnegative(),
  outputKey: z.string(),
  outputUrl: z.string(),
  uploadedUrl: z.string().nullable(),
  children: z.array(childSummary),
  stats: jobStats,
  /** One line for the job's log (what just happened). */
  logLine: z.string(),
  /** Only on a finished job whose output lost something of its inputs (see stitch.completed). */
  warnings: jobWarnings.optional(),
  /** Only on a finished join that asked for them: the poster (JPEG) and the thumbnails' WebVTT index, keys and signed URLs. */
  posterKey: z.string().optional(),
  posterUrl: z.string().optional(),
  thumbnailsKey: z.string().optional(),
  thumbnailsUrl: z.string().optional(),
  /** Only on a finished join with crossfades: how many seconds shorter than its clips together the output is. */
  overlapSec: z.number().nonnegative().optional(),
};

/** Public: every change of a job's state, in order per job (`sequence`); read models keep the highest. */
export const jobStatusChanged = z.strictObject({ ...envelope, ...jobSnapshot });
export type JobStatusChanged = z.infer<typeof jobStatusChanged>;

/**
 * Internal only (orchestrator → notifier, key: job id): a job with a webhook ended. The job as its last
 * status event shows it, plus the caller's webhook (URL, headers, data) as JSON sealed with the deployment
 * key (`sealWebhook`), so no reader of the broker sees the receiver's secrets. Its eventId is the X-Webhook-Id.
 */
export const jobWebhookRequested = z.strictObject({ ...envelope, ...jobSnapshot, webhook: sealedValue });
export type JobWebhookRequested = z.infer<typeof jobWebhookRequested>;

export const jobCancelRequested = z.strictObject({ ...envelope, jobId, tenantId, reason: z.string().max(500) });
export type JobCancelRequested = z.infer<typeof jobCancelRequested>;

/**
 * Why a cancel is refused (the x-dlq-reason of its dead letter): it names a job of another tenant. Only
 * the tenant that owns a job may cancel it, at the orchestrator and at every worker.
 */
export const foreignCancelReason = (jobId: string, tenantId: string) =>
  `tenantId: tenant "${tenantId}" does not own job "${jobId}", so its cancel was not applied; a tenant cancels only its own jobs`;
