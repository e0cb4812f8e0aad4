import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPort, waitFor } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { apiClient, createTenant, ensureServices, SAMPLE_MEDIA, type ApiClient, type TenantCredentials } from '../support/system';
import { FAST_WEBHOOKS, restartNotifier, signatureIsValid, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

describe('webhooks', () => {
  let media: MediaServer;
  let tenant: TenantCredentials;
  let api: ApiClient;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    await ensureServices();
    await restartNotifier(FAST_WEBHOOKS);
    media = await serveDirectory(SAMPLE_MEDIA);
    tenant = await createTenant('webhooks-e2e');
    api = apiClient(tenant.token);
  });
  afterAll(async () => {
    await restartNotifier({}); // back to the default timings for the scenarios that follow
    await Promise.all([media.close(), ...receivers.map((r) => r.close())]);
  });

  const receiver = async (answer?: (n: number) => number, port?: number) => {
    const started = await startWebhookReceiver(answer, port);
    receivers.push(started);
    return started;
  };
  const submit = async (webhook: Record<string, unknown>, src = media.url('video.mp4')) => {
    const created = await api.post('/jobs/join', { assets: [{ type: 'video', src }], webhook });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const deliveryLog = (id: string, until: (delivery: any) => boolean, what: string, timeoutMs = 60_000) =>
    waitFor(
      async () => {
        const { body } = await api.get(`/jobs/${id}/webhooks`);
        return body.deliveries?.[0] && until(body.deliveries[0]) ? body.deliveries[0] : undefined;
      },
      timeoutMs,
      what,
      200,
    );

  it('retries a failing receiver with growing gaps, the same X-Webhook-Id and valid signatures, and logs every attempt', async () => {
    const hook = await receiver((n) => (n <= 3 ? 500 : 200));
    const id = await submit({ url: `${hook.url}/hook?key=k1`, headers: { 'X-Team': 'blue' }, data: { ref: 'order-7' } });

    const delivery = await deliveryLog(id, (d) => d.status === 'delivered', 'the webhook to be delivered');
    expect(hook.received).toHaveLength(4);
    expect(new Set(hook.received.map((r) => r.headers['x-webhook-id']))).toEqual(new Set([delivery.id]));
    for (const request of hook.received) {
      expect(signatureIsValid(tenant.webhookSigningSecret, request.headers['x-webhook-signature'], request.body)).toBe(true);
      expect(request).toMatchObject({ method: 'POST', path: '/hook?key=k1', headers: expect.objectContaining({ 'x-team': 'blue' }) });
    }
    const gaps = hook.received.slice(1).map((r, i) => r.at - hook.received[i].at);
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    expect(gaps[2]).toBeGreaterThan(gaps[1]);

    const job = (await api.get(`/jobs/${id}`)).body;
    expect(job.status).toBe('finished');
    expect(JSON.parse(hook.received[3].body)).toEqual({ ...job, data: { ref: 'order-7' } });
    expect(delivery.attempts.map((a: any) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 500, 'retrying'],
      [3, 500, 'retrying'],
      [4, 200, 'delivered'],
    ]);
    for (const attempt of delivery.attempts) expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    expect(delivery.url).toBe(`${hook.url}/hook`);

    const stranger = apiClient((await createTenant('webhooks-stranger')).token);
    expect((await stranger.get(`/jobs/${id}/webhooks`)).status).toBe(404);
    expect((await stranger.post(`/jobs/${id}/webhooks/redeliver`)).status).toBe(404);

    expect((await api.post(`/jobs/${id}/webhooks/redeliver`)).status).toBe(202);
    const again = await deliveryLog(id, (d) => d.attempts.length === 5, 'the redelivery', 30_000);
    expect(again.status).toBe('delivered');
    expect(hook.received[4].headers['x-webhook-id']).toBe(delivery.id);
  });

  it('delivers once the receiver is back, although the notifier was SIGKILLed and restarted meanwhile', async () => {
    const port = await closedPort();
    const id = await submit({ url: `http://127.0.0.1:${port}/hook`, custom: true, data: { only: 'this' } });
    await deliveryLog(id, (d) => d.attempts.length >= 2, 'two failed attempts');

    await restartNotifier(FAST_WEBHOOKS, 'SIGKILL');
    const before = (await deliveryLog(id, () => true, 'the log')).attempts.length;
    await deliveryLog(id, (d) => d.attempts.length > before, 'an attempt by the restarted notifier', 30_000);
    const hook = await receiver(() => 204, port);

    const delivery = await deliveryLog(id, (d) => d.status === 'delivered', 'the webhook to be delivered', 30_000);
    expect(delivery.attempts.slice(0, -1).every((a: any) => a.statusCode === null && /ECONNREFUSED/.test(a.error))).toBe(true);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0].headers['x-webhook-id']).toBe(delivery.id);
    expect(JSON.parse(hook.received[0].body)).toEqual({ only: 'this' });
    expect(signatureIsValid(tenant.webhookSigningSecret, hook.received[0].headers['x-webhook-signature'], hook.received[0].body)).toBe(true);
  });

  describe('unsafe URLs', () => {
    let redirector: Server;
    let redirectUrl: string;

    beforeAll(async () => {
      redirector = createServer((_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end());
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/clip.mp4`;
    });
    afterAll(
      () =>
        new Promise<void>((resolve) => {
          redirector.closeAllConnections();
          redirector.close(() => resolve());
        }),
    );

    it('answers 400 at submit for non-http(s) sources and webhooks', async () => {
      for (const body of [
        { assets: [{ type: 'video', src: 'file:///etc/passwd' }] },
        { assets: [{ type: 'video', src: media.url('video.mp4') }], webhook: { url: 'file:///etc/passwd' } },
      ]) {
        const res = await api.post('/jobs/join', body);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatch(/http\(s\) URL/);
      }
    });

    it('ends a job in error when a clip resolves or redirects to a private or metadata address', async () => {
      const cases = [
        ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254/],
        ['http://10.0.0.1/clip.mp4', /10\.0\.0\.1/],
        [redirectUrl, /169\.254\.169\.254/],
      ] as const;
      const ids = await Promise.all(cases.map(async ([src]) => (await api.post('/jobs/join', { assets: [{ type: 'video', src }] })).body.id as string));
      for (const [index, id] of ids.entries()) {
        const job = await api.waitForEnd(id, 60_000);
        expect(job.status).toBe('error');
        expect(job.stats.error).toMatch(cases[index][1]);
      }
    });

    it('refuses webhook deliveries to private or metadata addresses and never follows a redirect', async () => {
      const bouncer = await receiver(() => 302);
      const cases = [
        ['http://169.254.169.254/hook', /169\.254\.169\.254/],
        ['http://10.0.0.1/hook', /10\.0\.0\.1/],
      ] as const;
      // Jobs that fail at once (their clip is refused too): webhooks fire on `error` as well.
      const failing = 'http://10.0.0.1/clip.mp4';
      const ids = await Promise.all(cases.map(([url]) => submit({ url }, failing)));
      for (const [index, id] of ids.entries()) {
        const delivery = await deliveryLog(id, (d) => d.status === 'failed', 'the refusal');
        expect(delivery.attempts).toHaveLength(1);
        expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(cases[index][1]) });
      }
      // A receiver that redirects gets one attempt: the 3xx is the answer, the target is never called.
      const redirected = await submit({ url: `${bouncer.url}/hook` }, failing);
      const delivery = await deliveryLog(redirected, (d) => d.status === 'failed', 'the redirect to be refused');
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]).toMatchObject({ statusCode: 302, error: expect.stringMatching(/redirect/) });
      expect(bouncer.received).toHaveLength(1);
    });
  });
});
