import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { TOPICS } from '@vrs/contracts';
import { KafkaInbox } from '@vrs/messaging';
import { TenantReplica } from '../../infrastructure/tenant-replica';

/** Keeps this service's replica of the tenants in step with the gateway's, so Kafka intake can check tenant ids. */
@Controller()
export class ReplicateTenantsController {
  constructor(private readonly inbox: KafkaInbox) {}

  @EventPattern(TOPICS.tenantChanged)
  onTenantChanged(@Ctx() context: KafkaContext) {
    return this.inbox.handle<typeof TOPICS.tenantChanged>(context, (event, work) =>
      work.transaction((manager) => TenantReplica.apply(manager, event.tenantId)));
  }
}
