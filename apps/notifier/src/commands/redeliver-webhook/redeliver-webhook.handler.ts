import { Inject, Injectable } from '@nestjs/common';
import type { WebhookRedeliverRequested } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import type { Transactions } from '@vrs/service-kit';
import { DELIVERIES, type Deliveries } from '../../application/ports/deliveries.port';
import { DELIVERY_DISPATCHER, type DeliveryDispatcher } from '../../application/ports/delivery-dispatcher.port';
import type { NotifierConfig } from '../../config';
import { NOTIFIER_CONFIG } from '../../tokens';

/** Sends a job's webhook again: same X-Webhook-Id (receivers de-duplicate on it), a fresh retry window. */
@Injectable()
export class RedeliverWebhookHandler {
  private readonly log = logger('redeliver-webhook');

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(DELIVERIES) private readonly deliveries: Deliveries,
    @Inject(DELIVERY_DISPATCHER) private readonly dispatcher: DeliveryDispatcher,
  ) {}

  /** `consumed`: the transaction that records the event as consumed. */
  async handle(event: WebhookRedeliverRequested, consumed: Transactions): Promise<void> {
    const found = await consumed.run(() => this.deliveries.redeliver(event.jobId, event.tenantId, new Date(Date.now() + this.config.WEBHOOK_RETRY_WINDOW_MS)));
    if (!found) return this.log.warn('redelivery asked for a job without a webhook delivery');
    this.log.info('webhook redelivery scheduled');
    this.dispatcher.wake();
  }
}
