import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { publishTenants } from '../../infrastructure/tenant-events';

/**
 * At start, publishes every tenant again: the bootstrap of the orchestrator's replica for tenants made
 * before it existed, and the repair of one that lost events. Applying a tenant twice changes nothing.
 */
@Injectable()
export class RepublishTenants implements OnApplicationBootstrap {
  private readonly log = logger('republish-tenants');

  constructor(private readonly dataSource: DataSource, private readonly relay: OutboxRelay) {}

  async onApplicationBootstrap(): Promise<void> {
    const count = await this.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string }> = await manager.query('SELECT id FROM tenants ORDER BY created_at, id');
      if (rows.length > 0) await publishTenants(manager, rows.map((row) => row.id), 'bootstrap');
      return rows.length;
    });
    this.relay.wake();
    this.log.info('tenants republished for the replicas', { tenants: count });
  }
}
