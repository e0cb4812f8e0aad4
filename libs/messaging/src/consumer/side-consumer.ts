import { Inject, Injectable } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { SchemaTopic } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import { KAFKA_PRODUCER, MESSAGING_OPTIONS, type MessagingOptions } from '../nest/messaging.tokens';
import { BatchConsumer, type BatchConsumerSettings } from './batch-consumer';
import { incomingMessage, messageRef } from './incoming-message';
import { MessageProcessor, type EventHandler } from './message-processor';
import { SideGroupConsumer } from './side-group';

export interface SideConsumerSettings<T extends SchemaTopic> {
  topic: T;
  /** Its own consumer group (and inbox consumer name), beside the service's main group. */
  group: string;
  handler: EventHandler<T>;
}

/**
 * One topic consumed apart from the service's main consumer, with the same guarantees (DLQ, inbox,
 * retries, offsets committed after the effect). For small updates that a handler of the main consumer
 * may be waiting for: kafkajs fetches the next records of the main group only when the current ones are
 * handled, so an update on a topic of that group could never reach a handler that waits for it.
 */
export class SideConsumer<T extends SchemaTopic> extends SideGroupConsumer<SideConsumerSettings<T>> {
  private readonly log = logger('side-consumer');

  async start(): Promise<void> {
    const { topic, group, handler } = this.settings;
    const consumer = await this.subscribe();
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message, heartbeat }) => {
        const incoming = incomingMessage(topic, partition, message);
        const processor = new MessageProcessor({
          dataSource: this.dataSource,
          producer: this.producer,
          consumer: group,
          retry: this.messaging.retry,
          heartbeat,
          shutdown: this.shutdown.signal,
        });
        if ((await processor.process(incoming, handler)) === 'abandoned') return;
        try {
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        } catch (error) {
          // Lost the partition in a rebalance: the next owner redelivers and the inbox makes it a no-op.
          this.log.warn('offset commit failed', { ref: messageRef(incoming), error: (error as Error).message });
        }
      },
    });
  }
}

/** Makes side consumers with the service's broker settings, database and producer (Nest injects it). */
@Injectable()
export class SideConsumers {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
  ) {}

  create<T extends SchemaTopic>(settings: SideConsumerSettings<T>): SideConsumer<T> {
    return new SideConsumer(this.messaging, this.dataSource, this.producer, settings);
  }

  createBatched<T extends SchemaTopic>(settings: BatchConsumerSettings<T>): BatchConsumer<T> {
    return new BatchConsumer(this.messaging, this.dataSource, this.producer, settings);
  }
}
