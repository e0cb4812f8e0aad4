import { createHmac } from 'node:crypto';
import { TOPICS, webhookSigningSecret } from '@vrs/contracts';
import { CircuitOpenError, OutboundError, type HttpResponseSummary } from '@vrs/net';
import type { EventOutbox, Transactions } from '@vrs/service-kit';
import type { AttemptRecord, Deliveries, Delivery } from '../../application/ports/deliveries.port';
import type { WebhookSender } from '../../application/ports/webhook-sender.port';
import type { WebhookMessage } from '../../domain/webhook-message';
import { DeliverWebhookHandler } from './deliver-webhook.handler';

const MASTER = 'spec-master-secret-0123456789';
const delivery = (overrides: Partial<Delivery> = {}): Delivery => ({
  id: '5b0c4f0e-9d7e-4a53-8f0e-5d1c2b3a4f60',
  jobId: 'job-1',
  tenantId: 'tenant-a',
  url: 'https://hooks.example/in?token=secret',
  method: 'POST',
  headers: { 'x-team': 'a' },
  body: '{"id":"job-1"}',
  attempts: 0,
  retryUntil: new Date(Date.now() + 60_000),
  ...overrides,
});

/** The ports in memory: the sender answers what `answer` gives; the store records attempts unless told another instance did. */
function fakes(answer: (message: WebhookMessage) => HttpResponseSummary | Error, options: { recordedElsewhere?: boolean } = {}) {
  const sent: WebhookMessage[] = [];
  const records: AttemptRecord[] = [];
  const postponed: Date[] = [];
  const published: Array<{ topic: string; key: string; body: any }> = [];
  let inTransaction = false;
  const deliveries = {
    recordAttempt: async (_id: string, record: AttemptRecord) => {
      expect(inTransaction).toBe(true);
      if (options.recordedElsewhere) return false;
      records.push(record);
      return true;
    },
    postpone: async (_id: string, until: Date) => {
      postponed.push(until);
    },
  } as unknown as Deliveries;
  const sender: WebhookSender = {
    openCircuitMs: 30_000,
    send: async (message) => {
      sent.push(message);
      const result = answer(message);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  const transactions: Transactions = {
    run: async (work) => {
      inTransaction = true;
      try {
        return await work();
      } finally {
        inTransaction = false;
      }
    },
  };
  const outbox: EventOutbox = {
    publish: async (topic, key, body) => {
      expect(inTransaction).toBe(true);
      published.push({ topic, key, body });
    },
    publishAll: async () => undefined,
  };
  const handler = new DeliverWebhookHandler(deliveries, sender, transactions, outbox, {
    schedule: { initialBackoffMs: 1_000, maxBackoffMs: 10_000 },
    signingMasterSecret: MASTER,
  });
  return { handler, sent, records, postponed, published };
}

const answered = (status: number, headers: Record<string, string> = {}): HttpResponseSummary => ({ status, headers, body: '', durationMs: 3 });

describe('DeliverWebhookHandler (fake ports)', () => {
  it('signs the body with the tenant secret, sends the caller headers, and records a delivery with its event', async () => {
    const { handler, sent, records, published } = fakes(() => answered(204));
    await handler.attempt(delivery());
    const [message] = sent;
    expect(message.headers).toMatchObject({ 'x-team': 'a', 'x-webhook-id': delivery().id, 'content-type': 'application/json' });
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(message.headers['x-webhook-signature'])!;
    expect(v1).toBe(createHmac('sha256', webhookSigningSecret(MASTER, 'tenant-a')).update(`${t}.${message.body}`).digest('hex'));
    expect(records).toEqual([expect.objectContaining({ attempt: 1, statusCode: 204, outcome: 'delivered', error: null, nextAttemptAt: null })]);
    expect(published).toEqual([
      {
        topic: TOPICS.webhookAttempted,
        key: 'job-1',
        body: expect.objectContaining({ attempt: 1, outcome: 'delivered', url: 'https://hooks.example/in', nextAttemptAt: null }),
      },
    ]);
  });

  it('schedules a retry after a 5xx, and gives up once the next try would fall past the retry window', async () => {
    const retrying = fakes(() => answered(503));
    await retrying.handler.attempt(delivery({ attempts: 2 }));
    expect(retrying.records[0]).toMatchObject({ attempt: 3, outcome: 'retrying', statusCode: 503, nextAttemptAt: expect.any(Date) });
    const givingUp = fakes(() => answered(503));
    await givingUp.handler.attempt(delivery({ attempts: 4, retryUntil: new Date(Date.now() + 10) }));
    expect(givingUp.records[0]).toMatchObject({
      attempt: 5,
      outcome: 'failed',
      nextAttemptAt: null,
      error: expect.stringMatching(/Gave up after 5 attempts: the retry window ended\.$/),
    });
  });

  it('fails at once on a redirect or a refused address, saying why', async () => {
    const redirect = fakes(() => answered(302, { location: 'http://169.254.169.254/latest' }));
    await redirect.handler.attempt(delivery());
    expect(redirect.records[0]).toMatchObject({
      outcome: 'failed',
      statusCode: 302,
      error: expect.stringContaining('redirect to http://169.254.169.254/latest'),
    });
    const refused = fakes(() => new OutboundError('blocked_url', 'http://10.0.0.1/hook is a private address'));
    await refused.handler.attempt(delivery());
    expect(refused.records[0]).toMatchObject({ outcome: 'failed', statusCode: null, error: 'http://10.0.0.1/hook is a private address' });
  });

  it('puts a delivery to an open circuit off without spending an attempt', async () => {
    const { handler, records, postponed, published } = fakes(
      () => new OutboundError('network', 'circuit open for hooks.example', { cause: new CircuitOpenError('hooks.example', 30_000) }),
    );
    const before = Date.now();
    await handler.attempt(delivery());
    expect(records).toEqual([]);
    expect(published).toEqual([]);
    expect(postponed[0].getTime()).toBeGreaterThanOrEqual(before + 30_000);
  });

  it('publishes nothing when another instance recorded this attempt first', async () => {
    const { handler, published } = fakes(() => answered(200), { recordedElsewhere: true });
    await handler.attempt(delivery());
    expect(published).toEqual([]);
  });
});
