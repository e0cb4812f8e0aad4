import { z } from 'zod';
import { jobId, jobStatus } from '../events/common';
import { childSummary, jobStats, jobType } from '../events/job';
import { jobWarnings } from '../events/stitch';
import { WEBHOOK_ATTEMPT_OUTCOMES } from '../events/webhook';

/**
 * What the API answers, one schema per shape: the gateway's presenters are typed by them and the
 * OpenAPI document is generated from them. Fields are the events' own schemas where they carry the same value.
 */

/** Every error: `{ error, details? }`, details naming the caller's fields. */
export const errorBody = z.strictObject({
  error: z.string(),
  details: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

const outputUrl = z.string().describe('Signed URL of the output; the same before and after the job finishes; supports Range requests; no token needed.');

/** A job as `GET /jobs/:id` shows it; webhook bodies embed the same shape. */
export const jobView = z.strictObject({
  id: jobId,
  type: jobType,
  status: jobStatus,
  progress: z.number().min(0).max(100),
  outputUrl,
  /** Where the output was pushed, when the job asked for an upload. */
  uploadedUrl: z.string().optional(),
  /** The job this one renders a clip or layer for (a child job). */
  parentId: jobId.optional(),
  children: z.array(childSummary.pick({ id: true, status: true, outputUrl: true })),
  stats: jobStats,
  warnings: jobWarnings.optional(),
  posterUrl: z.string().describe('A finished join that asked for settings.poster: signed URL of its JPEG poster.').optional(),
  thumbnailsUrl: z
    .string()
    .describe('A finished join that asked for settings.thumbnails: signed URL of the WebVTT index of its thumbnail sprite (#xywh= cues).')
    .optional(),
  overlapSec: z.number().describe('A finished join with crossfades: seconds the output is shorter than its clips together.').optional(),
});
export type JobView = z.infer<typeof jobView>;

export const jobList = z.strictObject({ jobs: z.array(jobView) });
export type JobList = z.infer<typeof jobList>;

/** The 201 of `POST /jobs` and `POST /jobs/join`: `pending` while child renders come first. */
export const acceptedJob = z.strictObject({
  id: jobId,
  status: z.enum(['queued', 'pending']),
  outputUrl,
  children: z.array(z.strictObject({ id: jobId, status: z.literal('queued'), outputUrl })),
});
export type AcceptedJobView = z.infer<typeof acceptedJob>;

export const BATCH_ENTRY_ERROR_CODE = 'invalid_job';

/** The 201 of `POST /batches`: valid entries are created even when others are not. */
export const batchCreated = z.strictObject({
  batchId: z.string().uuid(),
  status: z.enum(['created', 'partial', 'error']),
  totalJobs: z.number().int(),
  successCount: z.number().int(),
  jobs: z.array(acceptedJob.extend({ index: z.number().int() })),
  errors: z
    .array(z.strictObject({ index: z.number().int(), error: z.string(), errorCode: z.literal(BATCH_ENTRY_ERROR_CODE), details: errorBody.shape.details }))
    .optional(),
});
export type BatchCreated = z.infer<typeof batchCreated>;
export type BatchEntryError = NonNullable<BatchCreated['errors']>[number];

/** `processing` while any job runs; then `error` if any ended in error or was cancelled, else `finished`. */
export const BATCH_STATUSES = ['processing', 'finished', 'error'] as const;
export const batchStats = z.strictObject({ total: z.number().int(), finished: z.number().int(), error: z.number().int(), pending: z.number().int() });
export type BatchStats = z.infer<typeof batchStats>;
export const batchView = z.strictObject({ id: z.string().uuid(), status: z.enum(BATCH_STATUSES), stats: batchStats });
export const batchStatus = (stats: BatchStats): BatchView['status'] => (stats.pending > 0 ? 'processing' : stats.error > 0 ? 'error' : 'finished');
export type BatchView = z.infer<typeof batchView>;
export const batchList = z.strictObject({ batches: z.array(batchView.extend({ createdAt: z.string().datetime() })) });
export type BatchList = z.infer<typeof batchList>;

const CANCEL_RESULTS = ['cancel_requested', 'not_found', 'already_ended'] as const;
export const cancelRequested = z.strictObject({ id: z.string(), cancelRequested: z.literal(true) });
export type CancelRequested = z.infer<typeof cancelRequested>;
/** The 202 of `POST /jobs/cancel`: one result per distinct id, `status` when the job exists. */
export const cancelResults = z.strictObject({
  jobs: z.array(z.strictObject({ id: z.string(), result: z.enum(CANCEL_RESULTS), status: jobStatus.optional() })),
});
export type CancelResults = z.infer<typeof cancelResults>;
export type CancelOutcome = CancelResults['jobs'][number];

/** A template as the API shows it; `template` (the stored body) only when one template is asked for. */
export const templateView = z.strictObject({
  id: z.string(),
  name: z.string(),
  driver: z.string().optional(),
  compositions: z.array(z.string()),
  createdAt: z.string().datetime(),
  template: z.record(z.string(), z.unknown()).optional(),
});
export type TemplateView = z.infer<typeof templateView>;
export const templateList = z.strictObject({ templates: z.array(templateView) });
export type TemplateList = z.infer<typeof templateList>;

export const webhookDelivery = z.strictObject({
  /** The X-Webhook-Id every attempt carried. */
  id: z.string(),
  url: z.string(),
  method: z.string(),
  status: z.enum(WEBHOOK_ATTEMPT_OUTCOMES),
  nextAttemptAt: z.string().datetime().nullable(),
  attempts: z.array(
    z.strictObject({
      attempt: z.number().int(),
      at: z.string().datetime(),
      statusCode: z.number().int().nullable(),
      durationMs: z.number().int(),
      error: z.string().nullable(),
      outcome: z.enum(WEBHOOK_ATTEMPT_OUTCOMES),
    }),
  ),
});
export type WebhookDeliveryView = z.infer<typeof webhookDelivery>;
export const webhookDeliveries = z.strictObject({ jobId: z.string(), deliveries: z.array(webhookDelivery) });
export type WebhookDeliveries = z.infer<typeof webhookDeliveries>;
export const redeliverRequested = z.strictObject({ id: z.string(), redeliverRequested: z.literal(true) });
export type RedeliverRequested = z.infer<typeof redeliverRequested>;

/** The 201 of `POST /admin/tenants`: the token and the webhook secret are shown only here. */
export const tenantCreated = z.strictObject({ id: z.string().uuid(), name: z.string(), token: z.string(), webhookSigningSecret: z.string() });
export type TenantCreated = z.infer<typeof tenantCreated>;

/** The 200 of an upload's `PUT …/content`. */
export const uploadReceived = z.strictObject({ id: z.string().uuid(), src: z.string(), size: z.number().int() });
export type UploadReceived = z.infer<typeof uploadReceived>;
