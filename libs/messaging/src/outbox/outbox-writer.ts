import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { validateEvent, type EventOf, type SchemaTopic } from '@vrs/contracts';
import { OUTBOX_CHANNEL } from './outbox-relay';

type EventBody<T extends SchemaTopic> = Omit<EventOf<T>, 'eventId' | 'schemaVersion' | 'occurredAt'>;

export class InvalidOutgoingEventError extends Error {}

/** One event to record: its topic, message key and body. */
/** `eventId` fixes the event's id (a re-sent request keeps its id, so consumers de-duplicate it). */
export interface OutgoingEvent<T extends SchemaTopic = SchemaTopic> {
  topic: T;
  key: string;
  body: EventBody<T>;
  eventId?: string;
}

function validated<T extends SchemaTopic>({ topic, body, eventId }: OutgoingEvent<T>): EventOf<T> {
  const event = { eventId: eventId ?? randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), ...body };
  const validation = validateEvent(topic, event);
  if (!validation.ok) {
    throw new InvalidOutgoingEventError(
      `refusing to publish an invalid ${topic} event: ${validation.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    );
  }
  return validation.value;
}

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
  const [event] = await enqueueEvents(manager, [{ topic, key, body, eventId: options.eventId }]);
  return event as EventOf<T>;
}

/**
 * Records many events with one INSERT (bulk intake): every event is validated before any is
 * written, and they keep the given order (the relay publishes by insertion order).
 */
export async function enqueueEvents(manager: EntityManager, events: OutgoingEvent[]): Promise<EventOf<SchemaTopic>[]> {
  const values = events.map(validated);
  if (values.length === 0) return values;
  // The NOTIFY reaches the relay (whichever instance holds its lock) when this transaction commits, not before.
  await manager.query(
    `WITH written AS (
       INSERT INTO outbox (topic, message_key, payload)
       SELECT topic, message_key, payload::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS e(topic, message_key, payload, n) ORDER BY n
       RETURNING 1)
     SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM (SELECT 1 FROM written LIMIT 1) AS wrote`,
    [events.map((e) => e.topic), events.map((e) => e.key), values.map((value) => JSON.stringify(value))],
  );
  return values;
}
