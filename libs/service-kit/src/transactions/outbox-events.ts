import { Injectable } from '@nestjs/common';
import type { SchemaTopic } from '@vrs/contracts';
import { enqueueEvents, OutboxRelay, type OutgoingEvent } from '@vrs/messaging';
import { afterCommit } from '../after-commit';
import type { EventOutbox } from './event-outbox.port';
import { TransactionScope } from './transaction-scope';

/** The outbox behind `EventOutbox`: rows in the scope's transaction, and the relay woken once it commits. */
@Injectable()
export class OutboxEvents implements EventOutbox {
  constructor(
    private readonly scope: TransactionScope,
    private readonly relay: OutboxRelay,
  ) {}

  publish<T extends SchemaTopic>(topic: T, key: string, body: OutgoingEvent<T>['body'], options: { eventId?: string } = {}): Promise<void> {
    return this.publishAll([{ topic, key, body, eventId: options.eventId } as OutgoingEvent]);
  }

  async publishAll(events: OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
    const manager = this.scope.manager;
    await enqueueEvents(manager, events);
    afterCommit(manager, () => this.relay.wake());
  }
}
