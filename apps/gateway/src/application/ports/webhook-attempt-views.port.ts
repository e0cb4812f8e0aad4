import type { WebhookAttempted, WebhookDeliveryView } from '@vrs/contracts';

/** The gateway's read model of webhook attempts (one row per attempt, replays change nothing). */
export interface WebhookAttemptViews {
  record(event: WebhookAttempted): Promise<void>;
  /** The job's deliveries with their attempts in order; the latest attempt gives the delivery's state. */
  forJob(tenantId: string, jobId: string): Promise<WebhookDeliveryView[]>;
}

export const WEBHOOK_ATTEMPT_VIEWS = Symbol('WEBHOOK_ATTEMPT_VIEWS');
