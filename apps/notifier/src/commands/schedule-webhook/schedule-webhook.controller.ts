import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { ScheduleWebhookHandler } from './schedule-webhook.handler';

@Controller()
export class ScheduleWebhookController {
  constructor(private readonly inbox: KafkaInbox, private readonly handler: ScheduleWebhookHandler) {}

  @EventPattern(TOPICS.jobStatusChanged)
  onStatusChanged(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.jobStatusChanged>(context, (event, work) => this.handler.handle(event, work));
  }
}
