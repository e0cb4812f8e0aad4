import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { WebhookAttemptViews } from '../../infrastructure/webhook-attempt-views';

/** Keeps the webhook delivery log up to date from the notifier's attempt events. */
@Controller()
export class ProjectWebhookDeliveriesController {
  constructor(private readonly inbox: KafkaInbox) {}

  @EventPattern(TOPICS.webhookAttempted)
  onAttempted(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.webhookAttempted>(context, (event, work) =>
      work.transaction((manager) => new WebhookAttemptViews(manager).record(event)));
  }
}
