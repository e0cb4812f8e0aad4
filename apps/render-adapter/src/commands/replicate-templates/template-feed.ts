import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TOPICS } from '@vrs/contracts';
import { SideConsumers, type SideConsumer } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { TEMPLATE_REPLICA, type TemplateReplica } from '../../application/ports/template-replica.port';

export const TEMPLATE_FEED_GROUP = 'render-adapter-templates';

/**
 * Keeps this service's replica of the template catalogue in step with the gateway's (template.changed).
 * A consumer of its own: a render waiting for its template holds the main consumer (kafkajs fetches
 * that group's next records only when the current ones are handled), and must not hold this one.
 */
@Injectable()
export class TemplateFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: SideConsumer<typeof TOPICS.templateChanged>;

  constructor(consumers: SideConsumers, scope: TransactionScope, @Inject(TEMPLATE_REPLICA) replica: TemplateReplica) {
    this.consumer = consumers.create({
      topic: TOPICS.templateChanged,
      group: TEMPLATE_FEED_GROUP,
      handler: (event, work) => scope.consuming(work).run(() => replica.apply(event.tenantId, event.templateId, event.template)),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
