import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TemplateReplica } from '../../infrastructure/template-replica';

/** Keeps this service's replica of the template catalogue in step with the gateway's. */
@Controller()
export class ReplicateTemplatesController {
  constructor(private readonly inbox: KafkaInbox) {}

  @EventPattern(TOPICS.templateChanged)
  onTemplateChanged(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.templateChanged>(context, (event, work) =>
      work.transaction((manager) => TemplateReplica.apply(manager, event.tenantId, event.templateId, event.template)));
  }
}
