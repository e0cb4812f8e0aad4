import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { SideConsumers } from '../consumer/side-consumer';
import { createKafka, createProducer } from '../kafka/kafka-client';
import { watchOutbox } from '../metrics/outbox-stats';
import { OutboxRelay } from '../outbox/outbox-relay';
import { KafkaInbox } from './kafka-inbox';
import { KAFKA_PRODUCER, MESSAGING_OPTIONS, type MessagingOptions } from './messaging.tokens';

/**
 * Starts the relay once the app is up, and the outbox's metrics; at shutdown (after consumers
 * stopped) drains it and disconnects.
 */
@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    watchOutbox(this.dataSource);
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.producer.disconnect();
  }
}

@Module({})
export class MessagingModule {
  static forService(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: KAFKA_PRODUCER,
          useFactory: async () => {
            const producer = createProducer(createKafka({ ...options.kafka, clientId: `${options.clientId}-producer` }));
            await producer.connect();
            return producer;
          },
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, KAFKA_PRODUCER],
          useFactory: (dataSource: DataSource, producer: Producer) => new OutboxRelay(dataSource, producer, { lockKey: options.outboxLockKey }),
        },
        KafkaInbox,
        SideConsumers,
        MessagingLifecycle,
      ],
      exports: [KAFKA_PRODUCER, MESSAGING_OPTIONS, OutboxRelay, KafkaInbox, SideConsumers],
    };
  }
}
