import type { Consumer } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import type { EventOf, SchemaTopic } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import { sendToDeadLetter } from './dead-letter';
import { incomingMessage, messageRef, type IncomingMessage } from './incoming-message';
import { MessageProcessor } from './message-processor';
import { databaseReachable, eventIdOf, parseEvent } from './parse-event';
import { SideGroupConsumer } from './side-group';

/** Applies events not seen before (in arrival order per partition), inside the transaction that records them as consumed. */
export type BatchEventHandler<T extends SchemaTopic> = (events: EventOf<T>[], manager: EntityManager) => Promise<void>;

export interface BatchConsumerSettings<T extends SchemaTopic> {
  topic: T;
  /** Its own consumer group, beside the service's main group. */
  group: string;
  /** The inbox's consumer name (default: the group). The main group's name, when this one takes a topic over from it, so that what the main group applied is not applied again. */
  inbox?: string;
  handler: BatchEventHandler<T>;
}

/** Most events one transaction applies. */
const MAX_EVENTS = 500;

interface ValidMessage<T extends SchemaTopic> {
  message: IncomingMessage;
  event: EventOf<T>;
  eventId: string;
}

/**
 * A side consumer for projections whose handler can apply many events at once: each fetched batch of a
 * partition costs one transaction (one inbox INSERT for all its events, the handler once with the new
 * ones) and one offset commit, where one event at a time costs about six round trips each. Same
 * guarantees as SideConsumer: what breaks the contract is dead-lettered, a redelivered event has no
 * second effect, offsets are committed after the effect, a database outage is waited out. When a batch
 * fails with the database up, its events are handled one by one (retries, then the DLQ), so one bad
 * event holds up nothing else.
 */
export class BatchConsumer<T extends SchemaTopic> extends SideGroupConsumer<BatchConsumerSettings<T>> {
  private readonly log = logger('batch-consumer');

  private get inbox(): string {
    return this.settings.inbox ?? this.settings.group;
  }

  async start(): Promise<void> {
    const { topic } = this.settings;
    const consumer = await this.subscribe();
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const messages = batch.messages.map((message) => incomingMessage(topic, batch.partition, message));
        for (let from = 0; from < messages.length; from += MAX_EVENTS) {
          if (!isRunning() || isStale() || this.shutdown.signal.aborted) return;
          const chunk = messages.slice(from, from + MAX_EVENTS);
          if (!(await this.applyChunk(chunk, heartbeat))) return; // shutdown: left uncommitted, redelivered
          const last = chunk[chunk.length - 1];
          resolveOffset(last.offset); // else kafkajs fetches the same records again
          await this.commit(consumer, last);
          await heartbeat();
        }
      },
    });
  }

  /** Applies a chunk; false when shutdown came first. Throws while the database is unreachable (kafkajs delivers the batch again). */
  private async applyChunk(chunk: IncomingMessage[], heartbeat: () => Promise<void>): Promise<boolean> {
    const valid: ValidMessage<T>[] = [];
    const seen = new Set<string>();
    for (const message of chunk) {
      const parsed = parseEvent<T>(message);
      if (!parsed.ok) {
        await sendToDeadLetter(this.producer, this.inbox, message, parsed);
        continue;
      }
      const eventId = eventIdOf(parsed.event, message);
      if (!seen.has(eventId)) valid.push({ message, event: parsed.event, eventId });
      seen.add(eventId);
    }
    if (valid.length === 0) return true;
    try {
      await this.dataSource.transaction((manager) => this.applyNew(valid, manager));
      return true;
    } catch (error) {
      if (!(await databaseReachable(this.dataSource))) throw error;
      this.log.warn('a batch failed; handling its events one by one', {
        from: messageRef(valid[0].message),
        events: valid.length,
        error: (error as Error).message,
      });
      return this.applyOneByOne(valid, heartbeat);
    }
  }

  private async applyNew(valid: ValidMessage<T>[], manager: EntityManager): Promise<void> {
    const inserted: Array<{ event_id: string }> = await manager.query(
      'INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id',
      [this.inbox, valid.map((v) => v.eventId)],
    );
    const fresh = new Set(inserted.map((row) => row.event_id));
    const events = valid.filter((v) => fresh.has(v.eventId)).map((v) => v.event);
    if (events.length > 0) await this.settings.handler(events, manager);
  }

  private async applyOneByOne(valid: ValidMessage<T>[], heartbeat: () => Promise<void>): Promise<boolean> {
    const processor = new MessageProcessor({
      dataSource: this.dataSource,
      producer: this.producer,
      consumer: this.inbox,
      retry: this.messaging.retry,
      heartbeat,
      shutdown: this.shutdown.signal,
    });
    for (const { message } of valid) {
      const outcome = await processor.process<T>(message, (event, work) => work.transaction((manager) => this.settings.handler([event], manager)));
      if (outcome === 'abandoned') return false;
    }
    return true;
  }

  private async commit(consumer: Consumer, last: IncomingMessage): Promise<void> {
    try {
      await consumer.commitOffsets([{ topic: last.topic, partition: last.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
    } catch (error) {
      // Lost the partition in a rebalance: the next owner redelivers and the inbox makes it a no-op.
      this.log.warn('offset commit failed', { ref: messageRef(last), error: (error as Error).message });
    }
  }
}
