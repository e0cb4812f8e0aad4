import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { TrackRenderHandler } from './track-render.handler';

@Controller()
export class TrackRenderController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: TrackRenderHandler,
  ) {}

  @EventPattern(TOPICS.renderProgress)
  onProgress(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.renderProgress>(context, (event, work) => this.handler.progress(event, this.scope.consuming(work)));
  }

  @EventPattern(TOPICS.childFinished)
  onFinished(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.childFinished>(context, (event, work) => this.handler.finished(event, this.scope.consuming(work)));
  }

  @EventPattern(TOPICS.childFailed)
  onFailed(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.childFailed>(context, (event, work) => this.handler.failed(event, this.scope.consuming(work)));
  }
}
