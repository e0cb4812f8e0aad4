import type { BatchView, ErrorBody, JobStatus, JobView, TemplateView, UploadCreated, WebhookDeliveryView } from '@vrs/contracts';

export type { JobStatus };

/** A job as GET /jobs/:id answers it (`jobView` in @vrs/contracts). */
export type Job = JobView;

export interface JobList {
  jobs: Job[];
}

export type BatchStats = BatchView['stats'];
export type BatchStatus = BatchView['status'];
/** `createdAt` comes with the list (GET /batches), not with one batch. */
export type Batch = BatchView & { createdAt?: string };

export type TemplateSummary = Omit<TemplateView, 'template'>;
export type Template = TemplateSummary & { template: Record<string, unknown> };

export type WebhookDelivery = WebhookDeliveryView;

/** The 201 answer of POST /uploads: PUT the bytes to `uploadUrl`, then use `src` as a clip's source. */
export type UploadTicket = UploadCreated;

/** The API's error body: `{ error, details? }`, details naming the caller's own field. */
export type ApiErrorBody = ErrorBody;
