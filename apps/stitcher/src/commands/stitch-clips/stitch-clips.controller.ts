import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { StitchClipsHandler } from './stitch-clips.handler';

@Controller()
export class StitchClipsController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly handler: StitchClipsHandler,
  ) {}

  @EventPattern(TOPICS.stitchRequested)
  onStitchRequested(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.stitchRequested>(context, (event, work) => this.handler.handle(event, work));
  }
}
