import type { WebhookMessage } from '../../domain/webhook-message';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery extends WebhookMessage {
  /** The X-Webhook-Id: the id of the event that asked for the webhook. */
  id: string;
  jobId: string;
  tenantId: string;
  attempts: number;
  retryUntil: Date;
}

export interface AttemptRecord {
  attempt: number;
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: 'delivered' | 'retrying' | 'failed';
  nextAttemptAt: Date | null;
}

/** The notifier's deliveries: a persisted schedule, so a restart loses no webhook and several instances share them. */
export interface Deliveries {
  /** False when the job already has a delivery (the same end reported twice). */
  insert(delivery: { id: string; jobId: string; tenantId: string; retryUntil: Date } & WebhookMessage): Promise<boolean>;
  /**
   * Takes up to `limit` due deliveries and pushes their due time `leaseMs` ahead: other instances skip them
   * meanwhile, and if this one dies mid-attempt they become due again when the lease runs out.
   */
  claimDue(limit: number, leaseMs: number): Promise<Delivery[]>;
  /** Records an attempt unless another instance recorded this attempt number first (an expired lease). */
  recordAttempt(deliveryId: string, record: AttemptRecord): Promise<boolean>;
  /** Puts a delivery off without counting an attempt (its host's circuit is open). */
  postpone(deliveryId: string, until: Date): Promise<void>;
  /** Makes the job's delivery due now with a fresh retry window; false when the job has none. */
  redeliver(jobId: string, tenantId: string, retryUntil: Date): Promise<boolean>;
  nextDueAt(): Promise<Date | null>;
}

export const DELIVERIES = Symbol('DELIVERIES');
