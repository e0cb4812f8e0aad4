import { Inject, Injectable } from '@nestjs/common';
import { TOPICS, webhookSigningSecret } from '@vrs/contracts';
import { describeUrl } from '@vrs/net';
import { logger } from '@vrs/observability';
import { EVENT_OUTBOX, TRANSACTIONS, type EventOutbox, type Transactions } from '@vrs/service-kit';
import { judgeFailure, judgeResponse, type AttemptVerdict } from '../../application/attempt-verdict';
import { DELIVERIES, type AttemptRecord, type Deliveries, type Delivery } from '../../application/ports/deliveries.port';
import { WEBHOOK_SENDER, type WebhookSender } from '../../application/ports/webhook-sender.port';
import { nextAttemptAt, type RetrySchedule } from '../../domain/retry-schedule';
import { attemptHeaders } from '../../domain/webhook-message';

export interface DeliverySettings {
  schedule: RetrySchedule;
  /** Each tenant's signing secret is derived from it (the gateway shows the same one). */
  signingMasterSecret: string;
}

export const DELIVERY_SETTINGS = Symbol('DELIVERY_SETTINGS');

/**
 * One attempt of a claimed delivery: signed, sent, judged, and recorded with the next due time and
 * a webhook.attempted event in one transaction. A host whose circuit is open is not tried: the
 * delivery is put off without spending an attempt.
 */
@Injectable()
export class DeliverWebhookHandler {
  private readonly log = logger('deliver-webhook');

  constructor(
    @Inject(DELIVERIES) private readonly deliveries: Deliveries,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {}

  async attempt(delivery: Delivery): Promise<void> {
    const attemptedAt = new Date();
    const started = performance.now();
    let verdict: AttemptVerdict;
    try {
      const secret = webhookSigningSecret(this.settings.signingMasterSecret, delivery.tenantId);
      const response = await this.sender.send({ ...delivery, headers: attemptHeaders(delivery, delivery.id, secret, attemptedAt) });
      verdict = judgeResponse(delivery.url, response);
    } catch (error) {
      verdict = judgeFailure(error);
    }
    if (verdict.kind === 'circuit-open') {
      // Not an attempt: nothing was sent. Come back when the breaker lets a trial call through.
      await this.deliveries.postpone(delivery.id, new Date(Date.now() + this.sender.openCircuitMs));
      return;
    }
    const record = this.recordFor(delivery, verdict, attemptedAt, Math.round(performance.now() - started));
    const recorded = await this.transactions.run(async () => {
      if (!(await this.deliveries.recordAttempt(delivery.id, record))) return false;
      await this.outbox.publish(TOPICS.webhookAttempted, delivery.jobId, {
        deliveryId: delivery.id,
        jobId: delivery.jobId,
        tenantId: delivery.tenantId,
        attempt: record.attempt,
        url: describeUrl(delivery.url),
        method: delivery.method,
        attemptedAt: attemptedAt.toISOString(),
        statusCode: record.statusCode,
        durationMs: record.durationMs,
        error: record.error,
        outcome: record.outcome,
        nextAttemptAt: record.nextAttemptAt?.toISOString() ?? null,
      });
      return true;
    });
    if (!recorded) return;
    const fields = { deliveryId: delivery.id, attempt: record.attempt, url: describeUrl(delivery.url), statusCode: record.statusCode, ms: record.durationMs };
    if (record.outcome === 'delivered') this.log.info('webhook delivered', fields);
    else
      this.log.warn(record.outcome === 'retrying' ? 'webhook attempt failed; will retry' : 'webhook delivery failed for good', {
        ...fields,
        error: record.error,
        nextAttemptAt: record.nextAttemptAt,
      });
  }

  private recordFor(delivery: Delivery, verdict: Exclude<AttemptVerdict, { kind: 'circuit-open' }>, attemptedAt: Date, durationMs: number): AttemptRecord {
    const attempt = delivery.attempts + 1;
    const base = { attempt, attemptedAt, durationMs, statusCode: verdict.statusCode };
    if (verdict.kind === 'delivered') return { ...base, error: null, outcome: 'delivered', nextAttemptAt: null };
    const next = verdict.kind === 'retry' ? nextAttemptAt(attempt, new Date(), delivery.retryUntil, this.settings.schedule) : null;
    if (next) return { ...base, error: verdict.error, outcome: 'retrying', nextAttemptAt: next };
    const error = verdict.kind === 'retry' ? `${verdict.error} Gave up after ${attempt} attempts: the retry window ended.` : verdict.error;
    return { ...base, error, outcome: 'failed', nextAttemptAt: null };
  }
}
