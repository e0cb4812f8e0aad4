import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { deadLetterTopic, TOPICS } from '@vrs/contracts';
import { queryDatabase, readTopic, TEST_BROKERS, testDataSource, testKafka, topicEnd, waitFor } from '@vrs/testing';
import {
  BatchConsumer,
  createProducer,
  DLQ_HEADERS,
  enqueueEvent,
  ensureTopics,
  MessageProcessor,
  OutboxRelay,
  PermanentFailure,
  SideConsumer,
  type IncomingMessage,
  type UnitOfWork,
} from './index';

// Against the real broker and database: each property below would fail without its mechanism.
describe('messaging (real Kafka + PostgreSQL)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  const topic = TOPICS.jobCancelRequested;
  const consumer = `messaging-test-${randomUUID()}`;

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka);
    producer = createProducer(kafka);
    await producer.connect();
    db = await testDataSource('vrs_messaging_test');
    await db.query('CREATE TABLE IF NOT EXISTS effects (id serial PRIMARY KEY, event_id text NOT NULL)');
    await db.query('CREATE TABLE IF NOT EXISTS side_effects (tenant_id text NOT NULL, event_id text NOT NULL)');
  });
  afterAll(async () => {
    await producer.disconnect();
    await db.destroy();
  });

  const cancelEvent = (jobId = `job-${randomUUID().slice(0, 8)}`) => ({
    eventId: randomUUID(),
    schemaVersion: 1 as const,
    occurredAt: new Date().toISOString(),
    jobId,
    tenantId: 't1',
    reason: 'test',
  });
  const record = (value: unknown, offset = '0', at: Partial<IncomingMessage> = {}): IncomingMessage => ({
    topic,
    partition: 0,
    offset,
    key: 'k',
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    timestamp: '1764000000000',
    ...at,
  });
  const processor = (attempts = 3) => new MessageProcessor({ dataSource: db, producer, consumer, retry: { attempts, initialDelayMs: 10, maxDelayMs: 50 } });
  const effectsOf = async (eventId: string) => (await db.query('SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [eventId]))[0].n;

  it('outbox: a rolled-back transaction publishes nothing; a committed one publishes its event', async () => {
    const relay = new OutboxRelay(db, producer, { lockKey: 990001 });
    const from = await topicEnd(kafka, topic);
    const rolledBackJob = `rb-${randomUUID().slice(0, 8)}`;
    await expect(
      db.transaction(async (m) => {
        await enqueueEvent(m, topic, rolledBackJob, { jobId: rolledBackJob, tenantId: 't1', reason: 'x' });
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const committedJob = `ok-${randomUUID().slice(0, 8)}`;
    await db.transaction((m) => enqueueEvent(m, topic, committedJob, { jobId: committedJob, tenantId: 't1', reason: 'x' }));
    expect(await relay.drainOnce()).toBe(1);
    const [published] = await readTopic(kafka, topic, from, (m) => m.key === committedJob || m.key === rolledBackJob);
    expect(published.key).toBe(committedJob);
    expect(JSON.parse(published.value)).toMatchObject({ jobId: committedJob, schemaVersion: 1 });
    expect((await db.query('SELECT count(*)::int AS n FROM outbox'))[0].n).toBe(0);
    await relay.stop();
  });

  it('outbox: a commit wakes the relay that holds the lock, whichever connection wrote the event (no polling)', async () => {
    // Polls once in 10 minutes: the event below can only go out this soon because its commit notified the relay.
    const relay = new OutboxRelay(db, producer, { lockKey: 990003, pollIntervalMs: 600_000 });
    relay.start();
    try {
      await waitFor(
        async () => ((await db.query('SELECT 1 FROM pg_locks WHERE locktype = $1 AND objid = $2', ['advisory', 990003])).length ? true : undefined),
        10_000,
        'the relay to take its lock',
      );
      const from = await topicEnd(kafka, topic);
      const jobId = `notify-${randomUUID().slice(0, 8)}`;
      await db.transaction((m) => enqueueEvent(m, topic, jobId, { jobId, tenantId: 't1', reason: 'x' }));
      const [published] = await readTopic(kafka, topic, from, (m) => m.key === jobId, 1, 30_000);
      expect(JSON.parse(published.value)).toMatchObject({ jobId });
    } finally {
      await relay.stop();
    }
  });

  it('outbox: refuses to record an event that breaks its contract', async () => {
    await expect(db.transaction((m) => enqueueEvent(m, topic, 'k', { jobId: 'bad id!', tenantId: 't1', reason: 'x' }))).rejects.toThrow(
      /invalid job.cancel-requested event: jobId/,
    );
  });

  it('outbox: only one relay (the lock holder) publishes at a time', async () => {
    const first = new OutboxRelay(db, producer, { lockKey: 990002 });
    const second = new OutboxRelay(db, producer, { lockKey: 990002 });
    await db.transaction((m) => enqueueEvent(m, topic, 'lock', { jobId: 'lock', tenantId: 't1', reason: 'x' }));
    expect(await first.drainOnce()).toBe(1);
    await db.transaction((m) => enqueueEvent(m, topic, 'lock', { jobId: 'lock', tenantId: 't1', reason: 'x' }));
    expect(await second.drainOnce()).toBe(0);
    await first.stop(); // publishes what is pending on its way out, then hands over the lock
    expect((await db.query('SELECT count(*)::int AS n FROM outbox'))[0].n).toBe(0);
    await db.transaction((m) => enqueueEvent(m, topic, 'lock', { jobId: 'lock', tenantId: 't1', reason: 'x' }));
    expect(await second.drainOnce()).toBe(1);
    await second.stop();
  });

  it('inbox: a redelivered event has no second effect', async () => {
    const event = cancelEvent();
    const handler = async (e: any, work: any) => work.transaction((m: any) => m.query('INSERT INTO effects (event_id) VALUES ($1)', [e.eventId]));
    expect(await processor().process(record(event, '1'), handler)).toBe('processed');
    expect(await processor().process(record(event, '2'), handler)).toBe('duplicate');
    expect(await effectsOf(event.eventId)).toBe(1);
  });

  it('inbox: an event without an id is one per record: a redelivery is skipped, a later record at the same offset is not', async () => {
    // Outside producers may leave eventId out; a recreated topic or a new cluster starts its offsets at 0 again.
    const tag = `anon-${randomUUID().slice(0, 8)}`;
    const join = { schemaVersion: 1, tenantId: 't1', assets: [{ type: 'video', src: `http://127.0.0.1:9/${tag}.mp4` }] };
    const handler = async (_e: any, work: any) => work.transaction((m: any) => m.query('INSERT INTO effects (event_id) VALUES ($1)', [tag]));
    const at = { topic: TOPICS.joinRequested, partition: 7, timestamp: String(Date.now()) };
    expect(await processor().process(record(join, '12', at), handler)).toBe('processed');
    expect(await processor().process(record(join, '12', at), handler)).toBe('duplicate');
    const sameOffsetLater = { ...at, timestamp: String(Date.now() + 3_600_000) };
    expect(await processor().process(record(join, '12', sameOffsetLater), handler)).toBe('processed');
    expect(await effectsOf(tag)).toBe(2);
  });

  it('inbox: the effect and the inbox entry commit together (a failed effect leaves no entry)', async () => {
    const event = cancelEvent();
    let calls = 0;
    const handler = async (e: any, work: any) =>
      work.transaction(async (m: any) => {
        await m.query('INSERT INTO effects (event_id) VALUES ($1)', [e.eventId]);
        if (++calls === 1) throw new Error('database hiccup');
      });
    expect(await processor().process(record(event), handler)).toBe('processed');
    expect(calls).toBe(2);
    expect(await effectsOf(event.eventId)).toBe(1);
  });

  it('DLQ: unparseable and invalid messages go to <topic>.dlq with the reason; the next one is handled', async () => {
    const from = await topicEnd(kafka, deadLetterTopic(topic));
    const handled: string[] = [];
    const handler = async (e: any, work: any) => {
      await work.transaction(async () => handled.push(e.eventId));
    };
    const marker = randomUUID();
    expect(await processor().process({ ...record(`{not json ${marker}`), key: marker }, handler)).toBe('dead-lettered');
    expect(await processor().process({ ...record({ ...cancelEvent(), jobId: 42 }), key: marker }, handler)).toBe('dead-lettered');
    const valid = cancelEvent();
    expect(await processor().process(record(valid), handler)).toBe('processed');
    expect(handled).toEqual([valid.eventId]);
    const dead = await readTopic(kafka, deadLetterTopic(topic), from, (m) => m.key === marker, 2);
    expect(dead[0].value).toBe(`{not json ${marker}`);
    expect(dead[0].headers[DLQ_HEADERS.reason]).toMatch(/not valid JSON/);
    expect(dead[1].headers[DLQ_HEADERS.reason]).toMatch(/jobId/);
    expect(dead[1].headers[DLQ_HEADERS.sourceTopic]).toBe(topic);
  });

  it('retries transient failures with backoff, bounded, then dead-letters with the reason', async () => {
    const event = cancelEvent();
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) throw new Error('broker busy');
    };
    expect(await processor(5).process(record(event), flaky)).toBe('processed');
    expect(calls).toBe(3);

    const from = await topicEnd(kafka, deadLetterTopic(topic));
    const doomed = cancelEvent();
    let doomedCalls = 0;
    const alwaysFails = async () => {
      doomedCalls++;
      throw new Error('still broken');
    };
    expect(await processor(3).process({ ...record(doomed), key: doomed.jobId }, alwaysFails)).toBe('dead-lettered');
    expect(doomedCalls).toBe(3);
    const [dead] = await readTopic(kafka, deadLetterTopic(topic), from, (m) => m.key === doomed.jobId);
    expect(dead.headers[DLQ_HEADERS.reason]).toBe('handling failed after 3 attempts: still broken');

    let permanentCalls = 0;
    const permanent = async () => {
      permanentCalls++;
      throw new PermanentFailure('template is gone');
    };
    expect(await processor(5).process(record(cancelEvent()), permanent)).toBe('dead-lettered');
    expect(permanentCalls).toBe(1);
  });

  it('a database outage while handling spends no attempt and dead-letters nothing: the caller runs it again', async () => {
    const name = 'vrs_messaging_outage_test';
    const outageDb = await testDataSource(name);
    await outageDb.query('CREATE TABLE IF NOT EXISTS effects (id serial PRIMARY KEY, event_id text NOT NULL)');
    // Refusing new connections and ending the open ones is an outage of this database alone.
    const outage = (down: boolean) =>
      queryDatabase('postgres', down ? `ALTER DATABASE ${name} ALLOW_CONNECTIONS false` : `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).then(() =>
        down ? queryDatabase('postgres', 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]) : [],
      );
    try {
      const event = cancelEvent();
      const from = await topicEnd(kafka, deadLetterTopic(topic));
      const outageProcessor = new MessageProcessor({ dataSource: outageDb, producer, consumer, retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 10 } });
      let calls = 0;
      const handler = async (_event: unknown, work: UnitOfWork) => {
        if (++calls === 1) await outage(true); // after the inbox check: the outage begins mid-handling
        await work.transaction((manager) => manager.query('INSERT INTO effects (event_id) VALUES ($1)', [event.eventId]));
      };
      await expect(outageProcessor.process({ ...record(event), key: event.jobId }, handler)).rejects.toThrow();
      expect(calls).toBe(1);
      await outage(false);
      expect(await outageProcessor.process({ ...record(event), key: event.jobId }, handler)).toBe('processed');
      expect((await outageDb.query('SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [event.eventId]))[0].n).toBe(1);
      const dead = await readTopic(kafka, deadLetterTopic(topic), from, (m) => m.key === event.jobId, 1, 2_000).catch(() => []);
      expect(dead).toEqual([]);
    } finally {
      await outage(false);
      await outageDb.destroy();
    }
  });

  describe('batch consumer', () => {
    const tenantTopic = TOPICS.tenantChanged;
    const tenantEvent = (tenantId: string) => ({ eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), tenantIds: [tenantId] });
    const effects = async (tenantId: string) =>
      (await db.query('SELECT event_id FROM side_effects WHERE tenant_id = $1', [tenantId])).map((r: any) => r.event_id);

    it('applies a batch in one call, each event once; dead-letters what breaks the contract and, one by one, what its handler cannot apply', async () => {
      const group = `batch-test-${randomUUID()}`;
      const tenantId = `t-${randomUUID()}`;
      const poison = `poison-${randomUUID()}`;
      const marker = `bad-${randomUUID()}`;
      const calls: number[] = [];
      const start = async () => {
        const consumer = new BatchConsumer(
          {
            kafka: { brokers: TEST_BROKERS },
            clientId: 'batch-test',
            consumerGroup: 'unused',
            outboxLockKey: 0,
            retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 10 },
          },
          db,
          producer,
          {
            topic: tenantTopic,
            group,
            handler: async (events, manager) => {
              // The topic holds other tests' events too: only this test's count.
              const own = events.filter((event) => event.tenantIds[0] === tenantId || event.tenantIds[0] === poison);
              if (own.length > 0) calls.push(own.length);
              if (own.some((event) => event.tenantIds[0] === poison)) throw new Error('cannot apply this one');
              await manager.query('INSERT INTO side_effects SELECT unnest($1::text[]), unnest($2::text[])', [
                own.map((event) => event.tenantIds[0]),
                own.map((event) => event.eventId),
              ]);
            },
          },
        );
        await consumer.start();
        return consumer;
      };
      const dlqFrom = await topicEnd(kafka, deadLetterTopic(tenantTopic));
      const first = tenantEvent(tenantId);
      await producer.send({
        topic: tenantTopic,
        messages: [
          { key: marker, value: JSON.stringify({ schemaVersion: 1, tenantIds: [42] }) },
          { key: tenantId, value: JSON.stringify(first) },
          { key: tenantId, value: JSON.stringify(first) },
          { key: poison, value: JSON.stringify(tenantEvent(poison)) },
        ],
      });
      const consumer = await start();
      try {
        const dead = await readTopic(
          kafka,
          deadLetterTopic(tenantTopic),
          dlqFrom,
          (m) => m.headers[DLQ_HEADERS.consumer] === group && (m.key === marker || m.key === poison),
          2,
          60_000,
        );
        expect(Object.fromEntries(dead.map((m) => [m.key, m.headers[DLQ_HEADERS.reason]]))).toEqual({
          [marker]: expect.stringMatching(/does not match the tenant.changed schema/),
          [poison]: 'handling failed after 2 attempts: cannot apply this one',
        });
        await waitFor(async () => ((await effects(tenantId)).length > 0 ? true : undefined), 30_000, 'the good event to be applied');
      } finally {
        await consumer.stop();
      }

      // Twenty events waiting for the consumer: far fewer calls than events, each event once, even after a restart.
      const later = Array.from({ length: 20 }, () => tenantEvent(tenantId));
      await producer.send({ topic: tenantTopic, messages: later.map((event) => ({ key: tenantId, value: JSON.stringify(event) })) });
      calls.length = 0;
      const again = await start();
      await waitFor(async () => ((await effects(tenantId)).length === 21 ? true : undefined), 60_000, 'the later events to be applied');
      await again.stop();
      expect(calls.length).toBeLessThan(later.length);
      const restarted = await start();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await restarted.stop();
      expect((await effects(tenantId)).sort()).toEqual([first.eventId, ...later.map((event) => event.eventId)].sort());
    });
  });

  describe('side consumer', () => {
    const tenantTopic = TOPICS.tenantChanged;
    const start = async (group: string) => {
      const consumer = new SideConsumer({ kafka: { brokers: TEST_BROKERS }, clientId: 'side-test', consumerGroup: 'unused', outboxLockKey: 0 }, db, producer, {
        topic: tenantTopic,
        group,
        handler: (event, work) =>
          work.transaction(async (m) => {
            await m.query('INSERT INTO side_effects VALUES ($1, $2)', [event.tenantIds[0], event.eventId]);
          }),
      });
      await consumer.start();
      return consumer;
    };
    const effects = async (tenantId: string) => (await db.query('SELECT event_id FROM side_effects WHERE tenant_id = $1', [tenantId])).length;

    it('applies each event once, dead-letters what breaks the contract, and commits so a restart repeats nothing', async () => {
      const group = `side-test-${randomUUID()}`;
      const tenantId = `t-${randomUUID()}`;
      const marker = `bad-${randomUUID()}`;
      const dlqFrom = await topicEnd(kafka, deadLetterTopic(tenantTopic));
      const event = { eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), tenantIds: [tenantId] };
      await producer.send({
        topic: tenantTopic,
        messages: [
          { key: marker, value: JSON.stringify({ schemaVersion: 1, tenantIds: [42] }) },
          { key: tenantId, value: JSON.stringify(event) },
          { key: tenantId, value: JSON.stringify(event) },
        ],
      });

      const first = await start(group);
      await waitFor(async () => ((await effects(tenantId)) > 0 ? true : undefined), 60_000, 'the event to be applied');
      // A running orchestrator reads the same topic in its own group and dead-letters the message too.
      const [dead] = await readTopic(
        kafka,
        deadLetterTopic(tenantTopic),
        dlqFrom,
        (m) => m.key === marker && m.headers[DLQ_HEADERS.consumer] === group,
        1,
        30_000,
      );
      expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/does not match the tenant.changed schema/);
      await first.stop();

      const later = { ...event, eventId: randomUUID() };
      await producer.send({ topic: tenantTopic, messages: [{ key: tenantId, value: JSON.stringify(later) }] });
      const second = await start(group);
      await waitFor(async () => ((await effects(tenantId)) === 2 ? true : undefined), 60_000, 'the later event to be applied');
      await second.stop();
      expect(
        (await db.query('SELECT event_id FROM side_effects WHERE tenant_id = $1 ORDER BY event_id', [tenantId])).map((r: any) => r.event_id).sort(),
      ).toEqual([event.eventId, later.eventId].sort());
    });
  });
});
