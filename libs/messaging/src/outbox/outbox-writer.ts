import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { type EventOf, type SchemaTopic, validateEvent } from '@vrs/contracts';

type EventBody<T extends SchemaTopic> = Omit<EventOf<T>, 'eventId' | 'schemaVersion' | 'occurredAt'>;

export class InvalidOutgoingEventError extends Error {}

/**
 * Records an event in the outbox inside the caller's transaction. The event is validated against
 * its topic's contract here, so a service can never publish what its consumers would reject.
 * `eventId` fixes the id for a request that may be sent again: consumers de-duplicate by it, so
 * a re-sent copy has no second effect.
 */
export async function enqueueEvent<T extends SchemaTopic>(
  manager: EntityManager,
  topic: T,
  key: string,
  body: EventBody<T>,
  options: { eventId?: string } = {},
): Promise<EventOf<T>> {
  const event = { eventId: options.eventId ?? randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), ...body };
  const validation = validateEvent(topic, event);
  if (!validation.ok) {
    throw new InvalidOutgoingEventError(`refusing to publish an invalid ${topic} event: ${validation.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  }
  await manager.query('INSERT INTO outbox (topic, message_key, payload) VALUES ($1, $2, $3)', [topic, key, JSON.stringify(validation.value)]);
  return validation.value;
}
