import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TrackStitchHandler } from './track-stitch.handler';

@Controller()
export class TrackStitchController {
  constructor(private readonly inbox: KafkaInbox, private readonly handler: TrackStitchHandler) {}

  @EventPattern(TOPICS.stitchProgress)
  onProgress(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.stitchProgress>(context, (event, work) => this.handler.progress(event, work));
  }

  @EventPattern(TOPICS.stitchCompleted)
  onCompleted(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.stitchCompleted>(context, (event, work) => this.handler.completed(event, work));
  }

  @EventPattern(TOPICS.stitchFailed)
  onFailed(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.stitchFailed>(context, (event, work) => this.handler.failed(event, work));
  }
}
