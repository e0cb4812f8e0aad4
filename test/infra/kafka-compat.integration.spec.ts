// Proves kafkajs 2.2.4 works against the real local broker (Apache Kafka 4.x, started by scripts/infra/up.sh):
// admin topic creation, idempotent produce, a consumer group with manual commits, a rebalance when a second
// member joins, and resumption from committed offsets after a restart.
// Kafka 4.0 dropped old protocol versions (KIP-896), so this is the check that our client still fits.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const runId = randomUUID().slice(0, 8);
const topic = `infra-compat-${runId}`;
const groupId = `infra-compat-${runId}`;
const PARTITIONS = 6;
const ALL_PARTITIONS = Array.from({ length: PARTITIONS }, (_, partition) => partition);
const ascending = (numbers: number[]) => [...numbers].sort((x, y) => x - y);

interface Received {
  consumer: string;
  partition: number;
  offset: number;
  value: string;
}

// kafkajs reports routine rebalances as errors; the assertions say what actually went wrong.
const kafka = new Kafka({ clientId: `infra-compat-${runId}`, brokers, logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;
const received: Received[] = [];
// Latest partitions assigned to each consumer, taken from kafkajs GROUP_JOIN events.
const assignments = new Map<string, number[]>();
const consumers: Consumer[] = [];

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends `perPartition` messages to every partition, valued `<batch>-p<partition>-<n>`. */
async function produceBatch(batch: string, perPartition: number): Promise<string[]> {
  const messages = ALL_PARTITIONS.flatMap((partition) =>
    Array.from({ length: perPartition }, (_, n) => ({ partition, key: `k${n}`, value: `${batch}-p${partition}-${n}` })),
  );
  await producer.send({ topic, acks: -1, messages });
  return messages.map((m) => m.value);
}

/** A group member that commits each message's offset itself once it has "processed" it. */
async function startConsumer(name: string): Promise<void> {
  // Short heartbeat and fetch wait: members notice rebalances and disconnect within a second, not after 3-5s.
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 500 });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assignments.set(name, ascending(payload.memberAssignment[topic] ?? []));
  });
  await consumer.connect();
  // fromBeginning matters only without a committed offset; with one, re-reading old messages would show here.
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      received.push({ consumer: name, partition, offset: Number(message.offset), value: message.value!.toString() });
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
    },
  });
  consumers.push(consumer);
}

async function stopConsumer(consumer: Consumer): Promise<void> {
  await consumer.disconnect();
  consumers.splice(consumers.indexOf(consumer), 1);
}

async function committedOffsets(): Promise<number[]> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return [...result.partitions].sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
}

const valuesOf = (batch: string) => received.filter((r) => r.value.startsWith(`${batch}-`));

describe('kafkajs 2.2.4 against the local Kafka broker', () => {
  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all([...consumers].map(stopConsumer));
    await producer?.disconnect();
    await admin?.deleteGroups([groupId]).catch(() => undefined);
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  });

  it('describes the cluster and creates a topic with several partitions', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);

    await expect(admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true })).resolves.toBe(true);
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions).toHaveLength(PARTITIONS);
  });

  it('produces with an idempotent producer to every partition', async () => {
    await produceBatch('first', 10);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => Number(o.high))).toEqual(ALL_PARTITIONS.map(() => 10));
  });

  it('lets a group member consume everything and commit offsets manually', async () => {
    await startConsumer('a');
    await waitFor('60 messages of the first batch', () => valuesOf('first').length === 60);
    expect(assignments.get('a')).toEqual(ALL_PARTITIONS);
    await waitFor('commits at offset 10 everywhere', async () => (await committedOffsets()).every((o) => o === 10));
  });

  it('rebalances when a second member joins, splitting the partitions without re-delivery', async () => {
    await startConsumer('b');
    await waitFor('a rebalance that splits the partitions between a and b', () => {
      const a = assignments.get('a') ?? [];
      const b = assignments.get('b') ?? [];
      return a.length > 0 && b.length > 0 && ascending([...a, ...b]).join() === ALL_PARTITIONS.join();
    });
    const group = (await admin.describeGroups([groupId])).groups[0];
    expect(group.members).toHaveLength(2);

    const sent = await produceBatch('second', 10);
    await waitFor('60 messages of the second batch', () => valuesOf('second').length === 60);
    expect(
      valuesOf('second')
        .map((r) => r.value)
        .sort(),
    ).toEqual([...sent].sort());
    // Each member got messages only from its own partitions, and both got some.
    for (const name of ['a', 'b']) {
      const mine = valuesOf('second').filter((r) => r.consumer === name);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((r) => assignments.get(name)!.includes(r.partition))).toBe(true);
    }
    // b read from the beginning of partitions a had already committed: the first batch must not come back.
    expect(valuesOf('first')).toHaveLength(60);
    await waitFor('commits at offset 20 everywhere', async () => (await committedOffsets()).every((o) => o === 20));
  });

  it('resumes from the committed offsets after the consumers restart', async () => {
    await Promise.all([...consumers].map(stopConsumer));
    const sent = await produceBatch('third', 5);

    await startConsumer('c');
    await waitFor('30 messages of the third batch', () => valuesOf('third').length === 30);
    // Give any wrongly re-delivered message a chance to arrive before asserting there is none.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(
      valuesOf('third')
        .map((r) => r.value)
        .sort(),
    ).toEqual([...sent].sort());
    expect(received.filter((r) => r.consumer === 'c')).toHaveLength(30);
    expect(received.filter((r) => r.consumer === 'c').every((r) => r.offset >= 20)).toBe(true);
    await waitFor('commits at offset 25 everywhere', async () => (await committedOffsets()).every((o) => o === 25));
  });
});
