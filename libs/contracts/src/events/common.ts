import { z } from 'zod';
import { uploadIdIn } from '../uploads/uploads';

export const JOB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const jobId = z.string().regex(JOB_ID_PATTERN, 'must be 1-64 letters, digits, "-" or "_"');
export const tenantId = z.string().min(1).max(64);
export const httpUrl = z.string({ error: 'is required: an http(s) URL' }).max(2048).refine(isHttpUrl, 'must be an http(s) URL');

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A clip's or media asset's source in a request: an http(s) URL, or `upload://<id>` as POST /uploads answers it. */
export const mediaSource = z
  .string({ error: 'is required: an http(s) URL' })
  .max(2048)
  .superRefine((value, ctx) => {
    if (isHttpUrl(value) || uploadIdIn(value) !== undefined) return;
    const upload = value.startsWith('upload://');
    ctx.addIssue({ code: 'custom', message: upload ? 'must be upload://<id> exactly as POST /uploads answered it' : 'must be an http(s) URL' });
  });

/** Fields every event carries: a unique id for de-duplication and the schema version. */
export const envelope = {
  eventId: z.string().uuid(),
  schemaVersion: z.literal(1),
  occurredAt: z.string().datetime(),
};

export const JOB_STATUSES = ['queued', 'pending', 'render:dorender', 'finished', 'error', 'manually_cancelled'] as const;
export const jobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatus>;
export const TERMINAL_STATUSES: readonly JobStatus[] = ['finished', 'error', 'manually_cancelled'];
