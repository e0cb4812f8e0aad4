import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { TOPICS } from '@vrs/contracts';
import { renderMetrics } from '@vrs/observability';
import { testDataSource, testKafka, waitFor } from '@vrs/testing';
import { createProducer, enqueueEvent, ensureTopics, MessageProcessor, type IncomingMessage } from '../index';
import { readConsumerLag } from './consumer-lag';
import { watchOutbox } from './outbox-stats';

/** The value of one series in the registry's text output, or undefined when it is absent. */
const sample = async (series: string) => {
  const line = (await renderMetrics()).body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('messaging metrics (real Kafka + PostgreSQL)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let db: DataSource;

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka);
    admin = kafka.admin();
    await admin.connect();
    producer = createProducer(kafka);
    await producer.connect();
    db = await testDataSource('vrs_messaging_metrics_test');
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
    await db.destroy();
  });

  it('counts dead letters by source topic and cause, and redeliveries the inbox skipped', async () => {
    const topic = TOPICS.jobCancelRequested;
    const processor = new MessageProcessor({
      dataSource: db,
      producer,
      consumer: `metrics-${randomUUID()}`,
      retry: { attempts: 2, initialDelayMs: 5, maxDelayMs: 10 },
    });
    const record = (value: string, offset = '0'): IncomingMessage => ({ topic, partition: 0, offset, key: 'k', value: Buffer.from(value), timestamp: '0' });
    const dead = (reason: string) => sample(`vrs_dead_lettered_messages_total{topic="${topic}",reason="${reason}"}`);
    const duplicates = () => sample(`vrs_inbox_duplicates_skipped_total{topic="${topic}"}`);
    const before = { json: (await dead('invalid_json')) ?? 0, exhausted: (await dead('retries_exhausted')) ?? 0, duplicates: (await duplicates()) ?? 0 };

    expect(await processor.process(record('{oops'), async () => undefined)).toBe('dead-lettered');
    const event = { eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), jobId: 'job-m1', tenantId: 't1', reason: 'r' };
    expect(
      await processor.process(record(JSON.stringify({ ...event, eventId: randomUUID() })), async () => {
        throw new Error('down');
      }),
    ).toBe('dead-lettered');
    const handler = async (_: unknown, work: { transaction: (w: () => Promise<void>) => Promise<void> }) => work.transaction(async () => undefined);
    expect(await processor.process(record(JSON.stringify(event), '1'), handler)).toBe('processed');
    expect(await processor.process(record(JSON.stringify(event), '2'), handler)).toBe('duplicate');

    expect(await dead('invalid_json')).toBe(before.json + 1);
    expect(await dead('retries_exhausted')).toBe(before.exhausted + 1);
    expect(await duplicates()).toBe(before.duplicates + 1);
  });

  it('samples the outbox at scrape time: how many events wait, and how long the oldest has', async () => {
    await db.query('DELETE FROM outbox');
    watchOutbox(db);
    expect(await sample('vrs_outbox_pending_messages')).toBe(0);
    expect(await sample('vrs_outbox_oldest_message_age_seconds')).toBe(0);
    for (const jobId of ['job-o1', 'job-o2']) {
      await db.transaction((m) => enqueueEvent(m, TOPICS.jobCancelRequested, jobId, { jobId, tenantId: 't1', reason: 'r' }));
    }
    await db.query(`UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE message_key = 'job-o1'`);
    expect(await sample('vrs_outbox_pending_messages')).toBe(2);
    const age = (await sample('vrs_outbox_oldest_message_age_seconds'))!;
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(3600);
    await db.query('DELETE FROM outbox');
  });

  describe('consumer lag', () => {
    const topic = `vrs-lag-test-${randomUUID().slice(0, 8)}`;
    const group = `lag-test-${randomUUID().slice(0, 8)}`;
    let consumer: Consumer | undefined;

    beforeAll(async () => {
      await ensureTopics(kafka, 2, [topic]);
      await producer.send({ topic, acks: -1, messages: [0, 1, 2, 3, 4].map((i) => ({ key: `a${i}`, value: 'x', partition: 0 })) });
      await producer.send({ topic, acks: -1, messages: [0, 1].map((i) => ({ key: `b${i}`, value: 'x', partition: 1 })) });
    });
    afterAll(async () => {
      await consumer?.disconnect();
      await admin.deleteGroups([group]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    });

    it('is empty for a group that holds and has committed nothing', async () => {
      expect(await readConsumerLag(admin, `never-${randomUUID()}`)).toEqual([]);
    });

    it('counts, per topic, what a member holds and has not committed, from the start of each partition', async () => {
      consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const joined = new Promise<void>((resolve) => consumer!.on(consumer!.events.GROUP_JOIN, () => resolve()));
      // Reads but never commits, as a consumer stuck on a message would.
      await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
      await joined;
      expect(
        await waitFor(async () => {
          const lag = await readConsumerLag(admin, group);
          return lag.length ? lag : undefined;
        }),
      ).toEqual([{ topic, lag: 7 }]);
    });

    it('counts from the committed offsets once the group has committed some', async () => {
      await consumer!.disconnect();
      consumer = undefined;
      await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '3' }] });
      expect(await readConsumerLag(admin, group)).toEqual([{ topic, lag: 2 + 2 }]);
    });
  });
});
