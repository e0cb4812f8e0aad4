import type { EntityManager } from 'typeorm';
import { TOPICS } from '@vrs/contracts';
import { enqueueEvent } from '@vrs/messaging';

/** Tells the orchestrator's replica that the tenant exists (tenant.changed, in the caller's transaction). */
export async function publishTenant(manager: EntityManager, tenantId: string): Promise<void> {
  await enqueueEvent(manager, TOPICS.tenantChanged, tenantId, { tenantId });
}
