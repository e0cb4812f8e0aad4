import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { ScheduleWebhookHandler } from './schedule-webhook.handler';

/** Webhook targets come on the internal job.webhook-requested (sealed), never on the public status topic. */
@Controller()
export class ScheduleWebhookController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: ScheduleWebhookHandler,
  ) {}

  @EventPattern(TOPICS.jobWebhookRequested)
  onWebhookRequested(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.jobWebhookRequested>(context, (event, work) => this.handler.handle(event, this.scope.consuming(work)));
  }
}
