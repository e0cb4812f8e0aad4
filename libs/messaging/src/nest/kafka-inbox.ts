import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import type { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { SchemaTopic } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import { MessageProcessor, type EventHandler, type Outcome } from '../consumer/message-processor';
import { messageRef, type IncomingMessage } from '../consumer/incoming-message';
import { OutboxRelay } from '../outbox/outbox-relay';
import { KAFKA_PRODUCER, MESSAGING_OPTIONS, type MessagingOptions } from './messaging.tokens';

/**
 * Adapter between Nest's Kafka transport and the MessageProcessor: every @EventPattern handler
 * goes through `handle`, which processes the record and only then commits its offset.
 */
@Injectable()
export class KafkaInbox implements BeforeApplicationShutdown {
  private readonly log = logger('kafka-inbox');
  private readonly shutdown = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly relay: OutboxRelay,
  ) {}

  /** Aborted at shutdown: long work in flight stops and is redelivered to another instance. */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  async handle<T extends SchemaTopic>(context: KafkaContext, handler: EventHandler<T>): Promise<Outcome> {
    const raw = context.getMessage();
    const message: IncomingMessage = {
      topic: context.getTopic(),
      partition: context.getPartition(),
      offset: raw.offset,
      key: raw.key as Buffer | string | null,
      value: raw.value as Buffer | string | null,
      headers: raw.headers,
    };
    const processor = new MessageProcessor({
      dataSource: this.dataSource,
      producer: this.producer,
      consumer: this.options.consumerGroup,
      retry: this.options.retry,
      heartbeat: context.getHeartbeat(),
      shutdown: this.shutdown.signal,
    });
    const outcome = await processor.process(message, handler);
    if (outcome === 'abandoned') return outcome;
    this.relay.wake();
    try {
      await context.getConsumer().commitOffsets([
        { topic: message.topic, partition: message.partition, offset: (BigInt(message.offset) + 1n).toString() },
      ]);
    } catch (error) {
      // Lost the partition in a rebalance: the next owner redelivers and the inbox makes it a no-op.
      this.log.warn('offset commit failed', { ref: messageRef(message), error: (error as Error).message });
    }
    return outcome;
  }
}
