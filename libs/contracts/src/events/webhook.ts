import { z } from 'zod';
import { envelope, jobId, tenantId } from './common';

export const WEBHOOK_ATTEMPT_OUTCOMES = ['delivered', 'retrying', 'failed'] as const;

/**
 * notifier → gateway (delivery log), one per attempt. `deliveryId` is the X-Webhook-Id the receiver saw;
 * `outcome` says what happens next: done, another attempt at `nextAttemptAt`, or no more attempts.
 */
export const webhookAttempted = z.strictObject({
  ...envelope,
  deliveryId: z.string().uuid(),
  jobId,
  tenantId,
  attempt: z.number().int().min(1),
  /** Scheme, host and path only: query strings may carry the receiver's secrets. */
  url: z.string().max(2048),
  method: z.string().max(16),
  attemptedAt: z.string().datetime(),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int().nonnegative(),
  error: z.string().max(2000).nullable(),
  outcome: z.enum(WEBHOOK_ATTEMPT_OUTCOMES),
  nextAttemptAt: z.string().datetime().nullable(),
});
export type WebhookAttempted = z.infer<typeof webhookAttempted>;

/** gateway → notifier: send the job's webhook again (same X-Webhook-Id, a fresh retry window). */
export const webhookRedeliverRequested = z.strictObject({ ...envelope, jobId, tenantId });
export type WebhookRedeliverRequested = z.infer<typeof webhookRedeliverRequested>;
