import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { webhookSigningSecret } from '@vrs/contracts';
import type { OutboxRelay } from '@vrs/messaging';
import { CircuitBreakers, createOutboundPolicy, isHostFailure, type OutboundPolicy } from '@vrs/net';
import { OutboxEvents, TransactionScope } from '@vrs/service-kit';
import { closedPort, testDataSource, waitFor } from '@vrs/testing';
import { DeliverWebhookHandler, type DeliverySettings } from '../commands/deliver-webhook/deliver-webhook.handler';
import { CreateWebhookDeliveries1764300000400 } from '../migrations/1764300000400-create-webhook-deliveries';
import { HttpWebhookSender } from './http-webhook-sender';
import { SqlDeliveries } from './sql-deliveries';
import { WebhookDispatcher, type DispatcherSettings } from './webhook-dispatcher';

const MASTER = 'spec-master-secret-0123456789';

type Settings = DispatcherSettings & DeliverySettings & { policy: OutboundPolicy; breakers: CircuitBreakers };

/** The dispatcher as the notifier wires it, over this file's database (the relay is not started: events stay in the outbox). */
function wiredDispatcher(dataSource: DataSource, settings: Settings) {
  const scope = new TransactionScope(dataSource);
  const deliveries = new SqlDeliveries(scope);
  const sender = new HttpWebhookSender(settings.policy, settings.breakers, settings.timeoutMs);
  const handler = new DeliverWebhookHandler(deliveries, sender, scope, new OutboxEvents(scope, { wake: () => undefined } as unknown as OutboxRelay), settings);
  const dispatcher = new WebhookDispatcher(deliveries, handler, settings);
  return {
    start: () => dispatcher.start(),
    wake: () => dispatcher.wake(),
    stop: async () => {
      await dispatcher.stop();
      sender.onApplicationShutdown();
    },
  };
}

interface TestHttpServer {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

async function startTestHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestHttpServer> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('WebhookDispatcher (real Postgres, real receivers)', () => {
  let dataSource: DataSource;
  let dispatcher: ReturnType<typeof wiredDispatcher> | undefined;
  const servers: TestHttpServer[] = [];

  beforeAll(async () => {
    dataSource = await testDataSource('vrs_test_notifier_dispatcher', [CreateWebhookDeliveries1764300000400]);
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE webhook_attempts, webhook_deliveries, outbox');
  });
  afterEach(async () => {
    await dispatcher?.stop();
    dispatcher = undefined;
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(() => dataSource.destroy());

  const start = (overrides: Partial<Settings> = {}) => {
    dispatcher = wiredDispatcher(dataSource, {
      schedule: { initialBackoffMs: 100, maxBackoffMs: 1_000 },
      timeoutMs: 2_000,
      concurrency: 4,
      pollIntervalMs: 200,
      signingMasterSecret: MASTER,
      policy: createOutboundPolicy('127.0.0.1/32'),
      breakers: new CircuitBreakers({ timeout: false, volumeThreshold: 1000, resetTimeout: 60_000 }, isHostFailure),
      ...overrides,
    });
    dispatcher.start();
    return dispatcher;
  };
  const schedule = async (url: string, tenantId = 'tenant-a') => {
    const id = randomUUID();
    await new SqlDeliveries(new TransactionScope(dataSource)).insert({
      id,
      jobId: `job-${id}`,
      tenantId,
      url,
      method: 'POST',
      headers: { 'x-team': 'a' },
      body: '{"id":"j"}',
      retryUntil: new Date(Date.now() + 60_000),
    });
    dispatcher?.wake();
    return id;
  };
  const delivery = async (id: string) => (await dataSource.query('SELECT status, attempts FROM webhook_deliveries WHERE id = $1', [id]))[0];

  it('retries failures until a 2xx, with the same id and a valid signature on every attempt, and records each', async () => {
    const seen: { id: string; signature: string; body: string; team: string }[] = [];
    const receiver = await startTestHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({
          id: String(req.headers['x-webhook-id']),
          signature: String(req.headers['x-webhook-signature']),
          body,
          team: String(req.headers['x-team']),
        });
        res.writeHead(seen.length < 3 ? 503 : 204).end();
      });
    });
    servers.push(receiver);
    start();
    const id = await schedule(`${receiver.url}/hook?token=abc`);
    await waitFor(async () => ((await delivery(id)).status === 'delivered' ? true : undefined), 10_000, 'delivery');
    expect(await delivery(id)).toEqual({ status: 'delivered', attempts: 3 });
    const secret = webhookSigningSecret(MASTER, 'tenant-a');
    for (const attempt of seen) {
      expect(attempt).toMatchObject({ id, body: '{"id":"j"}', team: 'a' });
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(attempt.signature)!;
      expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${attempt.body}`).digest('hex'));
    }
    const attempts = await dataSource.query('SELECT attempt, status_code, outcome FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt', [id]);
    expect(attempts).toEqual([
      { attempt: 1, status_code: 503, outcome: 'retrying' },
      { attempt: 2, status_code: 503, outcome: 'retrying' },
      { attempt: 3, status_code: 204, outcome: 'delivered' },
    ]);
    const events = (await dataSource.query(`SELECT payload FROM outbox WHERE topic = 'webhook.attempted' ORDER BY id`)).map((row: any) => row.payload);
    expect(events.map((e: any) => [e.attempt, e.outcome, e.deliveryId])).toEqual([
      [1, 'retrying', id],
      [2, 'retrying', id],
      [3, 'delivered', id],
    ]);
    expect(events[0].url).toBe(`${receiver.url}/hook`); // the query string may hold the receiver's secret
  });

  it('does not spend attempts on a host whose circuit is open, and keeps delivering to other hosts', async () => {
    const healthy = await startTestHttpServer((_req, res) => res.writeHead(200).end());
    servers.push(healthy);
    start({ breakers: new CircuitBreakers({ timeout: false, volumeThreshold: 1, errorThresholdPercentage: 1, resetTimeout: 60_000 }, isHostFailure) });
    const down = await schedule(`http://127.0.0.1:${await closedPort()}/hook`);
    await waitFor(async () => ((await delivery(down)).attempts === 1 ? true : undefined), 5_000, 'the first failed attempt');
    const others = await Promise.all([schedule(`${healthy.url}/a`), schedule(`${healthy.url}/b`)]);
    for (const id of others) await waitFor(async () => ((await delivery(id)).status === 'delivered' ? true : undefined), 5_000, 'delivery to the healthy host');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // several retry periods of the failing host
    expect(await delivery(down)).toEqual({ status: 'pending', attempts: 1 });
    const [{ due }] = await dataSource.query("SELECT next_attempt_at > now() + interval '30 seconds' AS due FROM webhook_deliveries WHERE id = $1", [down]);
    expect(due).toBe(true);
  });

  it('gives up at once on refused addresses and redirects, saying why', async () => {
    const redirecting = await startTestHttpServer((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end());
    servers.push(redirecting);
    start();
    const metadata = await schedule('http://169.254.169.254/hook');
    const redirect = await schedule(`${redirecting.url}/hook`);
    for (const id of [metadata, redirect]) await waitFor(async () => ((await delivery(id)).status === 'failed' ? true : undefined), 5_000, 'the refusal');
    const errors = await dataSource.query('SELECT delivery_id, status_code, error FROM webhook_attempts');
    expect(errors.find((row: any) => row.delivery_id === metadata).error).toMatch(/169\.254\.169\.254/);
    expect(errors.find((row: any) => row.delivery_id === redirect)).toMatchObject({
      status_code: 302,
      error: expect.stringMatching(/redirect to http:\/\/169\.254\.169\.254/),
    });
    expect(redirecting.hits).toHaveLength(1);
  });

  it('shares due deliveries between instances without attempting one twice', async () => {
    let hits = 0;
    const receiver = await startTestHttpServer((_req, res) => {
      hits += 1;
      setTimeout(() => res.writeHead(200).end(), 50);
    });
    servers.push(receiver);
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => schedule(`${receiver.url}/${i}`)));
    start();
    const second = wiredDispatcher(dataSource, {
      schedule: { initialBackoffMs: 100, maxBackoffMs: 1_000 },
      timeoutMs: 2_000,
      concurrency: 4,
      pollIntervalMs: 200,
      signingMasterSecret: MASTER,
      policy: createOutboundPolicy('127.0.0.1/32'),
      breakers: new CircuitBreakers({ timeout: false }, isHostFailure),
    });
    second.start();
    try {
      for (const id of ids) await waitFor(async () => ((await delivery(id)).status === 'delivered' ? true : undefined), 10_000, 'all deliveries');
    } finally {
      await second.stop();
    }
    expect(hits).toBe(12);
  });
});
