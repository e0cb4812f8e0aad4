import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { RenderTemplateHandler } from './render-template.handler';

@Controller()
export class RenderTemplateController {
  constructor(
    private readonly inbox: KafkaInbox,
    private readonly handler: RenderTemplateHandler,
  ) {}

  @EventPattern(TOPICS.renderRequested)
  onRenderRequested(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.renderRequested>(context, (event, work) => this.handler.handle(event, work));
  }
}
