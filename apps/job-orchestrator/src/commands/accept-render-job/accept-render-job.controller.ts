import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { AcceptRenderJobHandler } from './accept-render-job.handler';

@Controller()
export class AcceptRenderJobController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: AcceptRenderJobHandler,
  ) {}

  @EventPattern(TOPICS.renderJobRequested)
  onRenderJobRequested(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.renderJobRequested>(context, (event, work) =>
      this.handler.handle(event, this.scope.consuming(work), this.inbox.shutdownSignal),
    );
  }
}
