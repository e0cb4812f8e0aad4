import type { IHeaders } from 'kafkajs';

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
