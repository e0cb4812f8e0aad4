import type { SchemaTopic } from '@vrs/contracts';
import type { OutgoingEvent } from '@vrs/messaging';

/**
 * Events a use case publishes: each is checked against its topic's contract and recorded in the
 * current transaction, and goes to the broker once that commits (the outbox).
 */
export interface EventOutbox {
  /** `eventId` fixes the id of a request that may be sent again (consumers de-duplicate by it). */
  publish<T extends SchemaTopic>(topic: T, key: string, body: OutgoingEvent<T>['body'], options?: { eventId?: string }): Promise<void>;
  /** Many at once, in order (one INSERT). */
  publishAll(events: OutgoingEvent[]): Promise<void>;
}

export const EVENT_OUTBOX = Symbol('EVENT_OUTBOX');
