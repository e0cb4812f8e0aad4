import { Inject, Injectable } from '@nestjs/common';
import { OutputUrls, TERMINAL_STATUSES, type JobStatusChanged } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { NOTIFIER_CONFIG } from '../../tokens';
import type { NotifierConfig } from '../../config';
import { webhookMessageFor } from '../../domain/webhook-message';
import { DeliveryStore } from '../../infrastructure/delivery-store';
import { WebhookDispatcher } from '../deliver-webhooks/webhook-dispatcher';

/**
 * A job that ended with a webhook gets a delivery row, in the same transaction that marks the event
 * consumed: from then on the dispatcher owns it, across restarts. The status event's id is the X-Webhook-Id.
 */
@Injectable()
export class ScheduleWebhookHandler {
  private readonly log = logger('schedule-webhook');

  constructor(
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    private readonly urls: OutputUrls,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async handle(event: JobStatusChanged, work: UnitOfWork): Promise<void> {
    const message = TERMINAL_STATUSES.includes(event.status) ? webhookMessageFor(event, this.urls) : null;
    const scheduled = await work.transaction(async (manager) => message !== null && new DeliveryStore(manager).insert({
      id: event.eventId, jobId: event.jobId, tenantId: event.tenantId, retryUntil: new Date(Date.now() + this.config.WEBHOOK_RETRY_WINDOW_MS), ...message,
    }));
    if (!scheduled) return;
    this.log.info('webhook scheduled', { status: event.status, deliveryId: event.eventId });
    this.dispatcher.wake();
  }
}
