import type { EntityManager } from 'typeorm';
import { MAX_TENANTS_PER_EVENT, TOPICS } from '@vrs/contracts';
import { enqueueEvent } from '@vrs/messaging';

/** Tells the orchestrator's replica that the tenants exist (tenant.changed, in the caller's transaction). */
export async function publishTenants(manager: EntityManager, tenantIds: string[], key = tenantIds[0]): Promise<void> {
  for (let start = 0; start < tenantIds.length; start += MAX_TENANTS_PER_EVENT) {
    await enqueueEvent(manager, TOPICS.tenantChanged, key, { tenantIds: tenantIds.slice(start, start + MAX_TENANTS_PER_EVENT) });
  }
}
