import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { ProjectWebhookDeliveriesHandler } from './project-webhook-deliveries.handler';

/** Keeps the webhook delivery log up to date from the notifier's attempt events. */
@Controller()
export class ProjectWebhookDeliveriesController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: ProjectWebhookDeliveriesHandler,
  ) {}

  @EventPattern(TOPICS.webhookAttempted)
  onAttempted(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.webhookAttempted>(context, (event, work) => this.handler.handle(event, this.scope.consuming(work)));
  }
}
