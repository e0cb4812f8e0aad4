import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { CancelJobHandler } from './cancel-job.handler';

@Controller()
export class CancelJobController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: CancelJobHandler,
  ) {}

  @EventPattern(TOPICS.jobCancelRequested)
  onCancelRequested(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.jobCancelRequested>(context, (event, work) => this.handler.handle(event, this.scope.consuming(work)));
  }
}
