import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { KafkaContext } from '@nestjs/microservices';
import type { Consumer, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { SchemaTopic } from '@vrs/contracts';
import { ConsumerPool } from '../consumer/consumer-pool';
import type { IncomingMessage } from '../consumer/incoming-message';
import { MessageProcessor, type EventHandler } from '../consumer/message-processor';
import { KAFKA_PRODUCER, MESSAGING_OPTIONS, type MessagingOptions } from './messaging.tokens';

/**
 * Adapter between Nest's Kafka transport and the MessageProcessor: every @EventPattern handler goes
 * through `handle`, which hands the record to the service's ConsumerPool and returns as soon as it has
 * a slot, so the transport fetches the next record while this one runs. The pool commits the offset
 * once the record and every earlier one of its partition are done.
 */
@Injectable()
export class KafkaInbox implements BeforeApplicationShutdown {
  private readonly shutdown = new AbortController();
  private readonly pool: ConsumerPool;
  private consumer?: Consumer;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {
    this.pool = new ConsumerPool(options.consumerCapacity ?? 1, (topic, partition, offset) => this.consumer!.commitOffsets([{ topic, partition, offset }]));
  }

  /** Aborted at shutdown: long work in flight stops and is redelivered to another instance. */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  /** Stops taking messages, aborts the work in flight (left uncommitted) and waits for it to wind down. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await this.pool.settled();
  }

  async handle<T extends SchemaTopic>(context: KafkaContext, handler: EventHandler<T>): Promise<void> {
    if (this.shutdown.signal.aborted) return; // not committed: redelivered after the restart
    this.watch(context.getConsumer());
    const raw = context.getMessage();
    const message: IncomingMessage = {
      topic: context.getTopic(),
      partition: context.getPartition(),
      offset: raw.offset,
      key: raw.key as Buffer | string | null,
      value: raw.value as Buffer | string | null,
      headers: raw.headers,
      timestamp: raw.timestamp,
    };
    const heartbeat = context.getHeartbeat();
    const processor = new MessageProcessor({
      dataSource: this.dataSource,
      producer: this.producer,
      consumer: this.options.consumerGroup,
      retry: this.options.retry,
      heartbeat,
      shutdown: this.shutdown.signal,
    });
    await this.pool.submit(
      message,
      // The events a handler enqueued reach the relay by the commit's NOTIFY (see enqueueEvents): no
      // wake here, which would cost every consumed message a relay round trip, most of them empty.
      async () => (await processor.process(message, handler)) !== 'abandoned',
      { heartbeat, signal: this.shutdown.signal },
    );
  }

  /** A new assignment re-reads each partition from its committed offset, so the pool's ledger starts again. */
  private watch(consumer: Consumer): void {
    if (this.consumer === consumer) return;
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => this.pool.reassigned());
  }
}
