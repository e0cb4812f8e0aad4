import { Inject, Injectable } from '@nestjs/common';
import type { WebhookRedeliverRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { NOTIFIER_CONFIG } from '../../tokens';
import type { NotifierConfig } from '../../config';
import { DeliveryStore } from '../../infrastructure/delivery-store';
import { WebhookDispatcher } from '../deliver-webhooks/webhook-dispatcher';

/** Sends a job's webhook again: same X-Webhook-Id (receivers de-duplicate on it), a fresh retry window. */
@Injectable()
export class RedeliverWebhookHandler {
  private readonly log = logger('redeliver-webhook');

  constructor(@Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig, private readonly dispatcher: WebhookDispatcher) {}

  async handle(event: WebhookRedeliverRequested, work: UnitOfWork): Promise<void> {
    const found = await work.transaction((manager) =>
      new DeliveryStore(manager).redeliver(event.jobId, event.tenantId, new Date(Date.now() + this.config.WEBHOOK_RETRY_WINDOW_MS)));
    if (!found) return this.log.warn('redelivery asked for a job without a webhook delivery');
    this.log.info('webhook redelivery scheduled');
    this.dispatcher.wake();
  }
}
