// Proves the services' Kafka client settings (libs/messaging's parser and client config) work against a
// broker that asks for TLS and SASL, as managed clusters do. Starts a second, throwaway KRaft broker
// (scripts/infra/kafka.sh with its own state dir and ports; the shared broker on 9092 is not touched)
// with a SASL_SSL listener whose CA and keys are made at start, and stops it at the end.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { KafkaContext, ServerKafka } from '@nestjs/microservices';
import { createKafka, createProducer, ensureTopics, GROUP_TIMING, kafkaConnectionFromEnv, type KafkaConnection } from '@vrs/messaging';
import { kafkaTransportOptions } from '@vrs/service-kit';
import { closedPort, waitFor } from '@vrs/testing';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const state = mkdtempSync(join(tmpdir(), 'vrs-kafka-sasl-'));
const tls = join(state, 'tls');
const topic = `sasl-ssl-${randomUUID().slice(0, 8)}`;
let brokerEnv: NodeJS.ProcessEnv;
let saslPort: number;

const kafkaSh = (command: 'start' | 'stop') => run('bash', [join(ROOT, 'scripts/infra/kafka.sh'), command], { cwd: ROOT, env: brokerEnv, timeout: 240_000 });

/** The services' settings for the test broker, as an operator would write them. */
function settings(overrides: Record<string, string | undefined> = {}): KafkaConnection {
  return kafkaConnectionFromEnv({
    KAFKA_BROKERS: `127.0.0.1:${saslPort}`,
    KAFKA_SSL: 'true',
    KAFKA_SSL_CA_FILE: join(tls, 'ca.pem'),
    KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
    KAFKA_SASL_USERNAME: 'vrs',
    KAFKA_SASL_PASSWORD: readFileSync(join(tls, 'sasl.password'), 'utf8').trim(),
    ...overrides,
  });
}

/** Connects an admin client and asks for the cluster; rejects with the broker's or TLS's reason. */
async function describeCluster(connection: KafkaConnection): Promise<number> {
  const admin = createKafka({ ...connection, clientId: 'sasl-ssl-spec' }).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length;
  } finally {
    await admin.disconnect();
  }
}

/** Sends one message with the platform's producer and reads it back in a new consumer group. */
async function roundTrip(connection: KafkaConnection, label: string): Promise<string> {
  const kafka = createKafka({ ...connection, clientId: `sasl-ssl-${label}` });
  const producer = createProducer(kafka);
  const consumer = kafka.consumer({ groupId: `sasl-ssl-${label}-${randomUUID().slice(0, 8)}`, ...GROUP_TIMING });
  const value = `${label}-${randomUUID()}`;
  let received: string | undefined;
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: label, value }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value?.toString() === value) received = value;
      },
    });
    return await waitFor(() => received, 60_000, `${label} to read its message back`);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

beforeAll(async () => {
  const [port, controllerPort] = [await closedPort(), await closedPort()];
  saslPort = await closedPort();
  brokerEnv = {
    ...process.env,
    KAFKA_STATE_DIR: state,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_SASL_SSL_PORT: String(saslPort),
  };
  await kafkaSh('start');
  expect(await ensureTopics(createKafka({ ...settings(), clientId: 'sasl-ssl-setup' }), 1, [topic])).toEqual([topic]);
}, 300_000);

afterAll(async () => {
  if (brokerEnv) await kafkaSh('stop');
  rmSync(state, { recursive: true, force: true });
}, 120_000);

describe('Kafka over SASL_SSL', () => {
  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])('produces and consumes with SASL %s over TLS with the CA file', async (mechanism) => {
    expect(await roundTrip(settings({ KAFKA_SASL_MECHANISM: mechanism }), mechanism.toLowerCase())).toMatch(new RegExp(`^${mechanism.toLowerCase()}-`));
  });

  it('works with the client settings file kafka.sh writes', async () => {
    const env = Object.fromEntries(
      readFileSync(join(tls, 'client.env'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2)),
    );
    expect(env.KAFKA_BROKERS).toBe(`127.0.0.1:${saslPort}`);
    expect(await describeCluster(kafkaConnectionFromEnv(env))).toBe(1);
  });

  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])('refuses SASL %s with a wrong password, saying so', async (mechanism) => {
    await expect(describeCluster(settings({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_PASSWORD: 'wrong-password' }))).rejects.toThrow(
      /authentication failed.*invalid (credentials|username or password)/i,
    );
  });

  it("refuses a broker whose certificate is not signed by a CA the client trusts (no KAFKA_SSL_CA_FILE: Node's public roots)", async () => {
    await expect(describeCluster(settings({ KAFKA_SSL_CA_FILE: undefined }))).rejects.toThrow(/self[- ]signed certificate/i);
  });

  it("carries a service's consumer (Nest's Kafka transport, the services' options), which commits under the plain group name", async () => {
    const connection = settings();
    const groupId = `sasl-ssl-service-${randomUUID().slice(0, 8)}`;
    const server = new ServerKafka(kafkaTransportOptions({ connection, clientId: 'sasl-ssl-service', groupId }));
    const value = `nest-${randomUUID()}`;
    let received: string | undefined;
    // As the services' inbox does: handle, then commit the next offset by hand (autoCommit is off).
    server.addHandler(
      topic,
      async (_data: unknown, context: KafkaContext) => {
        const message = context.getMessage();
        if (Buffer.from(message.value as Buffer).toString() !== value) return;
        await context.getConsumer().commitOffsets([{ topic, partition: context.getPartition(), offset: String(Number(message.offset) + 1) }]);
        received = value;
      },
      true,
    );
    const admin = createKafka({ ...connection, clientId: 'sasl-ssl-offsets' }).admin();
    try {
      await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
      const producer = createProducer(createKafka({ ...connection, clientId: 'sasl-ssl-nest-producer' }));
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [{ key: 'nest', value }] });
      await producer.disconnect();
      await waitFor(() => received, 60_000, "Nest's consumer to get the message");
      await admin.connect();
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(Number(committed.partitions[0].offset)).toBeGreaterThan(0);
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(`${groupId}-server`);
    } finally {
      await server.close();
      await admin.disconnect();
    }
  });

  it('connects with a client certificate (mutual TLS) and is refused with one the broker does not trust', async () => {
    const withCert = settings({ KAFKA_SSL_CERT_FILE: join(tls, 'client.pem'), KAFKA_SSL_KEY_FILE: join(tls, 'client.key') });
    expect(await roundTrip(withCert, 'mtls')).toMatch(/^mtls-/);

    const rogue = join(state, 'rogue');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=rogue',
      '-keyout',
      `${rogue}.key`,
      '-out',
      `${rogue}.pem`,
    ]);
    await expect(describeCluster(settings({ KAFKA_SSL_CERT_FILE: `${rogue}.pem`, KAFKA_SSL_KEY_FILE: `${rogue}.key` }))).rejects.toThrow(/certificate unknown/);
  });
});
