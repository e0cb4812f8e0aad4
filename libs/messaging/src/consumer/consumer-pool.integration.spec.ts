import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { TOPICS } from '@vrs/contracts';
import { testDataSource, testKafka, waitFor } from '@vrs/testing';
import { ensureTopics } from '../kafka/ensure-topics';
import { createProducer, GROUP_TIMING, partitionOfKey } from '../kafka/kafka-client';
import { ConsumerPool } from './consumer-pool';
import { incomingMessage } from './incoming-message';
import { MessageProcessor, type EventHandler } from './message-processor';

/**
 * The bad order against the real broker and database: a later message of a partition finishes while an
 * earlier one still runs, then the consumer dies. Its successor must get the earlier one again (its
 * offset was never committed) and must not redo the later one (the inbox has it).
 */
describe('ConsumerPool (real Kafka + PostgreSQL)', () => {
  const topic = TOPICS.jobCancelRequested;
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka);
    producer = createProducer(kafka);
    await producer.connect();
    db = await testDataSource('vrs_messaging_test');
    await db.query('CREATE TABLE IF NOT EXISTS pool_effects (event_id text NOT NULL, consumer text NOT NULL)');
  });
  afterAll(async () => {
    await producer.disconnect();
    await db.destroy();
  });

  /** Two job ids whose messages land on the same partition. */
  function sameTopicPartition(): [string, string, number] {
    const first = `slow-${randomUUID().slice(0, 8)}`;
    const partition = partitionOfKey(first);
    for (;;) {
      const second = `fast-${randomUUID().slice(0, 8)}`;
      if (partitionOfKey(second) === partition) return [first, second, partition];
    }
  }

  async function committed(group: string, partition: number): Promise<bigint> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return BigInt(offsets.partitions.find((p) => p.partition === partition)!.offset);
    } finally {
      await admin.disconnect();
    }
  }

  /** A worker: a consumer whose records go through a pool of 2 and the inbox of consumer name `group`. */
  async function startWorker(group: string, handler: EventHandler<typeof topic>, shutdown: AbortSignal): Promise<Consumer> {
    const consumer = kafka.consumer({ groupId: group, ...GROUP_TIMING });
    const pool = new ConsumerPool(2, (t, partition, offset) => consumer.commitOffsets([{ topic: t, partition, offset }]));
    const processor = new MessageProcessor({ dataSource: db, producer, consumer: group, retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 20 }, shutdown });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    consumer.on(consumer.events.GROUP_JOIN, () => pool.reassigned());
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message, heartbeat }) => {
        const incoming = incomingMessage(topic, partition, message);
        await pool.submit(incoming, async () => (await processor.process(incoming, handler)) !== 'abandoned', { heartbeat, signal: shutdown });
      },
    });
    return consumer;
  }

  it('redelivers the unfinished earlier message after a crash and skips the later one that was done', async () => {
    const group = `pool-test-${randomUUID()}`;
    const [slowJob, fastJob, partition] = sameTopicPartition();
    // The group starts at the topic's current end, so only what this test sends is read.
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId: group, topic, partitions: ends.map((o) => ({ partition: o.partition, offset: o.high })) });
    await admin.disconnect();

    const event = (jobId: string) => ({
      eventId: randomUUID(),
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      jobId,
      tenantId: 't1',
      reason: 'pool test',
    });
    const slow = event(slowJob);
    const fast = event(fastJob);
    const effects = async (eventId: string) => (await db.query('SELECT consumer FROM pool_effects WHERE event_id = $1', [eventId])).map((r: any) => r.consumer);
    const record =
      (name: string): EventHandler<typeof topic> =>
      (e, work) =>
        work.transaction(async (m) => {
          await m.query('INSERT INTO pool_effects (event_id, consumer) VALUES ($1, $2)', [e.eventId, name]);
        });

    // First worker: the slow message never ends (the process "dies" with it running).
    const firstShutdown = new AbortController();
    let slowStarted = false;
    const never = new Promise<void>((_, reject) => firstShutdown.signal.addEventListener('abort', () => reject(new Error('killed'))));
    const first = await startWorker(
      group,
      (e, work, m) => {
        if (e.jobId === slowJob) {
          slowStarted = true;
          return never;
        }
        return record('first')(e, work, m);
      },
      firstShutdown.signal,
    );
    const [sent] = await producer.send({
      topic,
      messages: [
        { key: slowJob, value: JSON.stringify(slow) },
        { key: fastJob, value: JSON.stringify(fast) },
      ],
    });
    expect(sent.partition).toBe(partition);
    const slowOffset = BigInt(sent.baseOffset!);

    await waitFor(
      async () => ((await effects(fast.eventId)).length === 1 && slowStarted ? true : undefined),
      60_000,
      'the later message to be done while the earlier one runs',
    );
    // Nothing past the unfinished message was committed.
    expect(await committed(group, partition)).toBeLessThanOrEqual(slowOffset);

    firstShutdown.abort(); // the "crash": the slow work is abandoned, uncommitted
    await first.disconnect();

    const secondShutdown = new AbortController();
    const second = await startWorker(group, record('second'), secondShutdown.signal);
    try {
      await waitFor(async () => ((await effects(slow.eventId)).length === 1 ? true : undefined), 60_000, 'the earlier message to be redone by the next worker');
      await waitFor(async () => ((await committed(group, partition)) >= slowOffset + 2n ? true : undefined), 30_000, 'both offsets to be committed');
      expect(await effects(slow.eventId)).toEqual(['second']);
      expect(await effects(fast.eventId)).toEqual(['first']); // redelivered, skipped by the inbox
    } finally {
      secondShutdown.abort();
      await second.disconnect();
    }
  });
});
