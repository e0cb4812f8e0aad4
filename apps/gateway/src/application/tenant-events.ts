import { MAX_TENANTS_PER_EVENT, TOPICS } from '@vrs/contracts';
import type { OutgoingEvent } from '@vrs/messaging';

/** tenant.changed events telling the orchestrator's replica that the tenants exist, as many per event as the contract allows. */
export function tenantChangedEvents(tenantIds: string[], key = tenantIds[0]): OutgoingEvent<typeof TOPICS.tenantChanged>[] {
  const events: OutgoingEvent<typeof TOPICS.tenantChanged>[] = [];
  for (let start = 0; start < tenantIds.length; start += MAX_TENANTS_PER_EVENT) {
    events.push({ topic: TOPICS.tenantChanged, key, body: { tenantIds: tenantIds.slice(start, start + MAX_TENANTS_PER_EVENT) } });
  }
  return events;
}
