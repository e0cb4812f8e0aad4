import type { Consumer, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { createKafka, GROUP_TIMING } from '../kafka/kafka-client';
import type { MessagingOptions } from '../nest/messaging.tokens';
import { reportConsumerDeath } from './consumer-deaths';

/** What every consumer beside the service's main one is given: one topic, a group of its own. */
export interface SideGroupSettings {
  topic: string;
  group: string;
}

/** A consumer of its own group, beside the service's main consumer: connects, reports its death, stops. */
export abstract class SideGroupConsumer<S extends SideGroupSettings> {
  protected readonly shutdown = new AbortController();
  private consumer?: Consumer;

  constructor(
    protected readonly messaging: MessagingOptions,
    protected readonly dataSource: DataSource,
    protected readonly producer: Producer,
    protected readonly settings: S,
  ) {}

  abstract start(): Promise<void>;

  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.consumer?.disconnect();
  }

  /** Connected and subscribed, reading the topic from the start on the group's first run. */
  protected async subscribe(): Promise<Consumer> {
    const { topic, group } = this.settings;
    const consumer = createKafka({ ...this.messaging.kafka, clientId: `${this.messaging.clientId}-${group}` }).consumer({ groupId: group, ...GROUP_TIMING });
    this.consumer = consumer;
    reportConsumerDeath(consumer, group);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return consumer;
  }
}
