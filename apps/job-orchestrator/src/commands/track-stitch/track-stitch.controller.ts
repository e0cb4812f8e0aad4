import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { TrackStitchHandler } from './track-stitch.handler';

@Controller()
export class TrackStitchController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly scope: TransactionScope,
    private readonly handler: TrackStitchHandler,
  ) {}

  @EventPattern(TOPICS.stitchProgress)
  onProgress(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.stitchProgress>(context, (event, work) => this.handler.progress(event, this.scope.consuming(work)));
  }

  @EventPattern(TOPICS.stitchCompleted)
  onCompleted(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.stitchCompleted>(context, (event, work) => this.handler.completed(event, this.scope.consuming(work)));
  }

  @EventPattern(TOPICS.stitchFailed)
  onFailed(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.stitchFailed>(context, (event, work) => this.handler.failed(event, this.scope.consuming(work)));
  }
}
