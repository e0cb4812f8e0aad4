import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { logger } from '@vrs/observability';
import { EVENT_OUTBOX, TRANSACTIONS, type EventOutbox, type Transactions } from '@vrs/service-kit';
import { TENANTS, type Tenants } from '../../application/ports/tenants.port';
import { tenantChangedEvents } from '../../application/tenant-events';

/**
 * At start, publishes every tenant again: the bootstrap of the orchestrator's replica for tenants made
 * before it existed, and the repair of one that lost events. Applying a tenant twice changes nothing.
 */
@Injectable()
export class RepublishTenants implements OnApplicationBootstrap {
  private readonly log = logger('republish-tenants');

  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(TENANTS) private readonly tenants: Tenants,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const count = await this.transactions.run(async () => {
      const ids = await this.tenants.allIds();
      if (ids.length > 0) await this.outbox.publishAll(tenantChangedEvents(ids, 'bootstrap'));
      return ids.length;
    });
    this.log.info('tenants republished for the replicas', { tenants: count });
  }
}
