import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TOPICS } from '@vrs/contracts';
import { SideConsumers, type SideConsumer } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { TENANT_REPLICA, type TenantReplica } from '../../application/ports/tenant-replica.port';

export const TENANT_FEED_GROUP = 'job-orchestrator-tenants';

/**
 * Keeps this service's replica of the tenants in step with the gateway's (tenant.changed). A consumer of
 * its own: a job request waiting for its tenant holds the main consumer, and must not hold this one.
 */
@Injectable()
export class TenantFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumer: SideConsumer<typeof TOPICS.tenantChanged>;

  constructor(consumers: SideConsumers, scope: TransactionScope, @Inject(TENANT_REPLICA) replica: TenantReplica) {
    this.consumer = consumers.create({
      topic: TOPICS.tenantChanged,
      group: TENANT_FEED_GROUP,
      handler: (event, work) => scope.consuming(work).run(() => replica.apply(event.tenantIds)),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
