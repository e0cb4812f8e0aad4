import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox, PermanentFailure } from '@vrs/messaging';

/** Render requests: until a renderer driver is configured, each is refused with a reason (dead-lettered). */
@Controller()
export class RenderTemplateController {
  constructor(private readonly inbox: KafkaInbox) {}

  @EventPattern(TOPICS.renderRequested)
  onRenderRequested(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.renderRequested>(context, async () => {
      throw new PermanentFailure('no renderer driver is configured in this deployment');
    });
  }
}
