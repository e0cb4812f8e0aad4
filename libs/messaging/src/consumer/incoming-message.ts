import type { IHeaders, KafkaMessage } from 'kafkajs';

/** One consumed Kafka record, independent of the framework that delivered it. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
}

export const messageRef = (message: IncomingMessage) => `${message.topic}/${message.partition}@${message.offset}`;

/** A record as kafkajs hands it to eachMessage / eachBatch. */
export const incomingMessage = (topic: string, partition: number, message: KafkaMessage): IncomingMessage => ({
  topic,
  partition,
  offset: message.offset,
  key: message.key,
  value: message.value,
  headers: message.headers,
});
