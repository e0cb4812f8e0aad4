import type { DataSource } from 'typeorm';
import { isSchemaTopic, validateEvent, type EventOf, type SchemaTopic } from '@vrs/contracts';
import type { DeadLetterReason } from './dead-letter';
import { recordIdentity, type IncomingMessage } from './incoming-message';

export type ParsedEvent<T extends SchemaTopic> = { ok: true; event: EventOf<T> } | ({ ok: false } & DeadLetterReason);

/** A record's event, or why it breaks its topic's contract (what goes in the dead-letter header). */
export function parseEvent<T extends SchemaTopic>(message: IncomingMessage): ParsedEvent<T> {
  if (!isSchemaTopic(message.topic)) return { ok: false, cause: 'unknown_topic', reason: `no schema is registered for topic ${message.topic}` };
  let json: unknown;
  try {
    json = JSON.parse(message.value === null ? '' : message.value.toString());
  } catch (error) {
    return { ok: false, cause: 'invalid_json', reason: `the message is not valid JSON: ${(error as Error).message}` };
  }
  const validation = validateEvent(message.topic as T, json);
  if (!validation.ok) {
    return {
      ok: false,
      cause: 'schema_mismatch',
      reason: `the message does not match the ${message.topic} schema: ${validation.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    };
  }
  return { ok: true, event: validation.value };
}

/** The inbox key of an event: its own id, or for producers that send none, the record's identity. */
export const eventIdOf = (event: object, message: IncomingMessage): string => (event as { eventId?: string }).eventId ?? recordIdentity(message);

/** Whether the database answers now: a failure while it does not is an outage, not the message's fault. */
export function databaseReachable(dataSource: DataSource): Promise<boolean> {
  return dataSource.query('SELECT 1').then(
    () => true,
    () => false,
  );
}
