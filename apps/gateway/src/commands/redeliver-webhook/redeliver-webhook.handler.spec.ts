import { randomUUID } from 'node:crypto';
import { TOPICS } from '@vrs/contracts';
import type { ApiError } from '../../http/api-error';
import { inMemoryGateway } from '../../testing/in-memory-ports';
import { RedeliverWebhookHandler } from './redeliver-webhook.handler';

const refusal = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('accepted');
    },
    (error: ApiError) => [error.getStatus(), error.error],
  );

describe('RedeliverWebhookHandler (in-memory ports)', () => {
  it("resends only an ended job's webhook that was attempted, and answers 404 and 409 otherwise", async () => {
    const gateway = inMemoryGateway();
    await gateway.views.insertQueued([{ id: 'j-1', tenantId: 'tenant-a', type: 'join', outputKey: 'j-1.mp4' }], new Date());
    const handler = new RedeliverWebhookHandler(gateway.transactions, gateway.views, gateway.attempts, gateway.outbox);

    expect(await refusal(handler.handle('tenant-b', 'j-1'))).toEqual([404, 'Job j-1 was not found.']);
    expect(await refusal(handler.handle('tenant-a', 'j-1'))).toEqual([409, 'Job j-1 has not ended (queued); its webhook is sent when it does.']);
    gateway.state().jobs[0].status = 'finished';
    expect(await refusal(handler.handle('tenant-a', 'j-1'))).toEqual([409, expect.stringContaining('has no webhook delivery to resend')]);
    await gateway.attempts.record({
      eventId: randomUUID(),
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      deliveryId: randomUUID(),
      jobId: 'j-1',
      tenantId: 'tenant-a',
      attempt: 1,
      url: 'https://hooks.example/in',
      method: 'POST',
      attemptedAt: new Date().toISOString(),
      statusCode: 500,
      durationMs: 4,
      error: 'The receiver answered 500.',
      outcome: 'failed',
      nextAttemptAt: null,
    });
    expect(gateway.state().events).toEqual([]);

    await handler.handle('tenant-a', 'j-1');
    expect(gateway.state().events).toEqual([{ topic: TOPICS.webhookRedeliverRequested, key: 'j-1', body: { jobId: 'j-1', tenantId: 'tenant-a' } }]);
  });
});
