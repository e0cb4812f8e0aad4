import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { requireInfrastructure } from './infrastructure-scope';

export const TEST_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export function testKafka(): Kafka {
  requireInfrastructure('Kafka');
  return new Kafka({ clientId: `test-${randomUUID().slice(0, 8)}`, brokers: TEST_BROKERS, logLevel: logLevel.NOTHING });
}

/** `timestamp`: when the producer sent it (ms since the epoch, Kafka's CreateTime). */
export interface ReadMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: string;
  timestamp: number;
}

/** Current end offsets of a topic, to read only what a test produces after this point. */
export async function topicEnd(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, o.high]));
  } finally {
    await admin.disconnect();
  }
}

const decodeHeaders = (headers: IHeaders | undefined) =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)]));

/** Reads a topic from `from` (topicEnd) until `count` messages match `predicate`, or fails after `timeoutMs`. */
export async function readTopic(
  kafka: Kafka,
  topic: string,
  from: Map<number, string>,
  predicate: (m: ReadMessage) => boolean,
  count = 1,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
  const found: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const [partition, offset] of from) consumer.seek({ topic, partition, offset });
    });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const start = from.get(partition);
        if (start !== undefined && BigInt(message.offset) < BigInt(start)) return;
        const read = {
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: decodeHeaders(message.headers),
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
        };
        if (predicate(read)) found.push(read);
        if (found.length >= count) done();
      },
    });
    const timeout = new Promise<void>((_, reject) =>
      setTimeout(() => reject(new Error(`only ${found.length}/${count} matching messages on ${topic} within ${timeoutMs} ms`)), timeoutMs),
    );
    await Promise.race([finished, timeout]);
    return found;
  } finally {
    await consumer.disconnect();
  }
}

/** Every message of a topic, from the beginning up to its end offsets at the time of the call. */
export async function readWholeTopic(kafka: Kafka, topic: string, timeoutMs = 120_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const end = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  const count = offsets.reduce((sum, o) => sum + Number(BigInt(o.high) - BigInt(o.low)), 0);
  if (count === 0) return [];
  const from = new Map(offsets.map((o) => [o.partition, o.low]));
  return readTopic(kafka, topic, from, (m) => BigInt(m.offset) < end.get(m.partition)!, count, timeoutMs);
}
