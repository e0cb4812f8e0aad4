import type { IHeaders, KafkaMessage } from 'kafkajs';

/** One consumed Kafka record, independent of the framework that delivered it. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
  /** The record's Kafka timestamp (ms): what, beside its offset, tells it apart from an earlier record there. */
  timestamp: string;
}

/** Where the record sits: for logs. Not an identity: a recreated topic or a new cluster reuses offsets. */
export const messageRef = (message: IncomingMessage) => `${message.topic}/${message.partition}@${message.offset}`;

/** The same for every delivery of one record, and not shared with a later record at the same offset. */
export const recordIdentity = (message: IncomingMessage) => `${messageRef(message)}#${message.timestamp}`;

/** A record as kafkajs hands it to eachMessage / eachBatch. */
export const incomingMessage = (topic: string, partition: number, message: KafkaMessage): IncomingMessage => ({
  topic,
  partition,
  offset: message.offset,
  key: message.key,
  value: message.value,
  headers: message.headers,
  timestamp: message.timestamp,
});
