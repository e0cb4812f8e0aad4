import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { RedeliverWebhookHandler } from './redeliver-webhook.handler';

@Controller()
export class RedeliverWebhookController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: RedeliverWebhookHandler,
  ) {}

  @EventPattern(TOPICS.webhookRedeliverRequested)
  onRedeliverRequested(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.webhookRedeliverRequested>(context, (event, work) => this.handler.handle(event, this.scope.consuming(work)));
  }
}
