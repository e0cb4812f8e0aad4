import { Inject, Injectable } from '@nestjs/common';
import { openWebhook, OutputUrls, SecretKeyError, TERMINAL_STATUSES, uploadSecretKey, type JobWebhookRequested, type WebhookSpec } from '@vrs/contracts';
import { PermanentFailure } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import type { Transactions } from '@vrs/service-kit';
import { DELIVERIES, type Deliveries } from '../../application/ports/deliveries.port';
import { DELIVERY_DISPATCHER, type DeliveryDispatcher } from '../../application/ports/delivery-dispatcher.port';
import type { NotifierConfig } from '../../config';
import { webhookMessageFor } from '../../domain/webhook-message';
import { NOTIFIER_CONFIG } from '../../tokens';

/**
 * A job that ended with a webhook gets a delivery row, in the same transaction that marks the event
 * consumed: from then on the dispatcher owns it, across restarts. The event's id is the X-Webhook-Id,
 * and a job has at most one delivery (a repeated request changes nothing).
 */
@Injectable()
export class ScheduleWebhookHandler {
  private readonly log = logger('schedule-webhook');
  /** Opens the webhook targets the orchestrator sealed (env UPLOAD_SECRET_KEY); read at start so a bad key fails early. */
  private readonly sealKey: Buffer;

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    private readonly urls: OutputUrls,
    @Inject(DELIVERIES) private readonly deliveries: Deliveries,
    @Inject(DELIVERY_DISPATCHER) private readonly dispatcher: DeliveryDispatcher,
  ) {
    this.sealKey = uploadSecretKey({ UPLOAD_SECRET_KEY: config.UPLOAD_SECRET_KEY });
  }

  /** `consumed`: the transaction that records the event as consumed. */
  async handle(event: JobWebhookRequested, consumed: Transactions): Promise<void> {
    if (!TERMINAL_STATUSES.includes(event.status)) return;
    const message = webhookMessageFor(event, this.open(event.webhook), this.urls);
    const scheduled = await consumed.run(() =>
      this.deliveries.insert({
        id: event.eventId,
        jobId: event.jobId,
        tenantId: event.tenantId,
        retryUntil: new Date(Date.now() + this.config.WEBHOOK_RETRY_WINDOW_MS),
        ...message,
      }),
    );
    if (!scheduled) return;
    this.log.info('webhook scheduled', { status: event.status, deliveryId: event.eventId });
    this.dispatcher.wake();
  }

  private open(sealed: string): WebhookSpec {
    try {
      return openWebhook(sealed, this.sealKey);
    } catch (error) {
      // Retrying cannot help: the key differs between orchestrator and notifier, or the value was tampered with.
      if (error instanceof SecretKeyError || error instanceof SyntaxError) throw new PermanentFailure(error.message);
      throw error;
    }
  }
}
