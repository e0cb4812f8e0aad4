import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { deadLetterTopic, TOPICS } from '@vrs/contracts';
import { readTopic, testDataSource, testKafka, topicEnd, TEST_BROKERS, waitFor } from '@vrs/testing';
import { createProducer, DLQ_HEADERS, ensureTopics } from '../index';
import { SideConsumer } from './side-consumer';

describe('side consumer (real Kafka + PostgreSQL)', () => {
  const topic = TOPICS.tenantChanged;
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka);
    producer = createProducer(kafka);
    await producer.connect();
    db = await testDataSource('vrs_messaging_test');
    await db.query('CREATE TABLE IF NOT EXISTS side_effects (tenant_id text NOT NULL, event_id text NOT NULL)');
  });
  afterAll(async () => {
    await producer.disconnect();
    await db.destroy();
  });

  const start = async (group: string) => {
    const consumer = new SideConsumer({ brokers: TEST_BROKERS, clientId: 'side-test', consumerGroup: 'unused', outboxLockKey: 0 }, db, producer, {
      topic, group,
      handler: (event, work) => work.transaction(async (m) => { await m.query('INSERT INTO side_effects VALUES ($1, $2)', [event.tenantId, event.eventId]); }),
    });
    await consumer.start();
    return consumer;
  };
  const effects = async (tenantId: string) => (await db.query('SELECT event_id FROM side_effects WHERE tenant_id = $1', [tenantId])).length;

  it('applies each event once, dead-letters what breaks the contract, and commits so a restart repeats nothing', async () => {
    const group = `side-test-${randomUUID()}`;
    const tenantId = `t-${randomUUID()}`;
    const marker = `bad-${randomUUID()}`;
    const dlqFrom = await topicEnd(kafka, deadLetterTopic(topic));
    const event = { eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), tenantId };
    await producer.send({ topic, messages: [
      { key: marker, value: JSON.stringify({ schemaVersion: 1, tenantId: 42 }) },
      { key: tenantId, value: JSON.stringify(event) },
      { key: tenantId, value: JSON.stringify(event) },
    ] });

    const first = await start(group);
    await waitFor(async () => ((await effects(tenantId)) > 0 ? true : undefined), 60_000, 'the event to be applied');
    const [dead] = await readTopic(kafka, deadLetterTopic(topic), dlqFrom, (m) => m.key === marker, 1, 30_000);
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/does not match the tenant.changed schema/);
    expect(dead.headers[DLQ_HEADERS.consumer]).toBe(group);
    await first.stop();

    const later = { ...event, eventId: randomUUID() };
    await producer.send({ topic, messages: [{ key: tenantId, value: JSON.stringify(later) }] });
    const second = await start(group);
    await waitFor(async () => ((await effects(tenantId)) === 2 ? true : undefined), 60_000, 'the later event to be applied');
    await second.stop();
    expect((await db.query('SELECT event_id FROM side_effects WHERE tenant_id = $1 ORDER BY event_id', [tenantId])).map((r: any) => r.event_id).sort())
      .toEqual([event.eventId, later.eventId].sort());
  });
});
