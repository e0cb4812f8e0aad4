import type { JobStatus, presentJob, UploadCreated } from '@vrs/contracts';

export type { JobStatus };

/** A job as GET /jobs/:id answers it (the gateway presents it with @vrs/contracts' presentJob). */
export type Job = ReturnType<typeof presentJob>;

export interface JobList { jobs: Job[] }

export interface BatchStats { total: number; finished: number; error: number; pending: number }
export type BatchStatus = 'processing' | 'finished' | 'error';
export interface Batch { id: string; status: BatchStatus; createdAt?: string; stats: BatchStats }

export interface TemplateSummary { id: string; name: string; driver?: string; compositions: string[]; createdAt: string }
export interface Template extends TemplateSummary { template: Record<string, unknown> }

export interface WebhookAttempt { attempt: number; at: string; statusCode: number | null; durationMs: number; error: string | null; outcome: string }
export interface WebhookDelivery { id: string; url: string; method: string; status: 'delivered' | 'retrying' | 'failed'; nextAttemptAt: string | null; attempts: WebhookAttempt[] }

/** The 201 answer of POST /uploads: PUT the bytes to `uploadUrl`, then use `src` as a clip's source. */
export type UploadTicket = UploadCreated;

/** The API's error body: `{ error, details? }`, details naming the caller's own field. */
export interface ApiErrorBody { error: string; details?: { field: string; message: string }[] }
