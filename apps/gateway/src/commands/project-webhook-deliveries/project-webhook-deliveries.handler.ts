import { Inject, Injectable } from '@nestjs/common';
import type { WebhookAttempted } from '@vrs/contracts';
import type { Transactions } from '@vrs/service-kit';
import { WEBHOOK_ATTEMPT_VIEWS, type WebhookAttemptViews } from '../../application/ports/webhook-attempt-views.port';

/** Records the notifier's attempts in the delivery log, in the transaction that consumes each. */
@Injectable()
export class ProjectWebhookDeliveriesHandler {
  constructor(@Inject(WEBHOOK_ATTEMPT_VIEWS) private readonly attempts: WebhookAttemptViews) {}

  async handle(event: WebhookAttempted, consumed: Transactions): Promise<void> {
    await consumed.run(() => this.attempts.record(event));
  }
}
