import { closedPort } from '@vrs/testing';
import { CircuitBreakers } from './circuit-breakers';
import { isHostFailure } from './http-exchange';
import { OutboundError } from './outbound-error';
import { createOutboundPolicy } from './outbound-policy';
import { postJson, request } from './request';
import { startTestHttpServer, type TestHttpServer } from './testing/test-http-server';

describe('request / postJson', () => {
  const policy = createOutboundPolicy('127.0.0.1/32');
  let server: TestHttpServer;
  let breakers: CircuitBreakers;
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    server = await startTestHttpServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      received.push({ headers: req.headers, body });
      if (req.url === '/hook') return void res.writeHead(204).end();
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      if (req.url === '/down') return void res.writeHead(503).end('maintenance');
      if (req.url === '/slow') {
        const timer = setTimeout(() => res.end('late'), 2000);
        return void res.on('close', () => clearTimeout(timer));
      }
      res.writeHead(404).end('unknown hook');
    });
  });

  beforeEach(() => {
    received.length = 0;
    server.hits.length = 0;
    breakers = new CircuitBreakers({ timeout: false, volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeout: 60_000 }, isHostFailure);
  });

  afterEach(() => breakers.shutdown());
  afterAll(() => server.close());

  it('posts JSON with the given headers and reports status and timing', async () => {
    const result = await postJson(`${server.url}/hook`, { id: 'job-1' }, { headers: { 'x-webhook-id': 'w1' }, policy, breakers });
    expect(result.status).toBe(204);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(received[0].body).toBe('{"id":"job-1"}');
    expect(received[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-webhook-id': 'w1', 'content-length': '14' });
  });

  it('sends a pre-serialised body byte for byte (so a signature over it stays valid)', async () => {
    await postJson(`${server.url}/hook`, '{"b":1,  "a":2}', { policy, breakers });
    expect(received[0].body).toBe('{"b":1,  "a":2}');
  });

  it('returns 4xx and 5xx answers as statuses with the start of the body', async () => {
    expect(await request(`${server.url}/nope`, { policy, breakers })).toMatchObject({ status: 404, body: 'unknown hook' });
    expect(await request(`${server.url}/down`, { policy, breakers })).toMatchObject({ status: 503, body: 'maintenance' });
  });

  it('does not follow redirects, so a receiver cannot bounce the call inward', async () => {
    const result = await postJson(`${server.url}/redirect`, {}, { policy, breakers });
    expect(result.status).toBe(302);
    expect(server.hits).toEqual(['POST /redirect']);
  });

  it('refuses blocked receivers', async () => {
    const error = await postJson('http://169.254.169.254/hook', {}, { policy, breakers }).catch((e) => e);
    expect(error).toMatchObject({ code: 'blocked_url' });
  });

  it('times out a slow receiver', async () => {
    const error = await request(`${server.url}/slow`, { timeoutMs: 300, policy, breakers }).catch((e) => e);
    expect(error).toBeInstanceOf(OutboundError);
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('did not answer within 300 ms');
  });

  it('opens the host circuit after repeated 5xx and then fails fast without calling', async () => {
    await request(`${server.url}/down`, { policy, breakers });
    await request(`${server.url}/down`, { policy, breakers });
    expect(breakers.state(`127.0.0.1:${server.port}`)).toBe('open');
    const error = await request(`${server.url}/hook`, { policy, breakers }).catch((e) => e);
    expect(error).toMatchObject({ code: 'network', transient: true });
    expect(error.message).toContain('paused after repeated failures');
    expect(server.hits).toEqual(['GET /down', 'GET /down']);
  });

  it('does not count 404s against the host', async () => {
    for (let i = 0; i < 4; i++) await request(`${server.url}/nope`, { policy, breakers });
    expect(breakers.state(`127.0.0.1:${server.port}`)).toBe('closed');
  });

  it('reports an unreachable receiver as a network error', async () => {
    const port = await closedPort();
    const error = await request(`http://127.0.0.1:${port}/`, { policy, breakers }).catch((e) => e);
    expect(error).toMatchObject({ code: 'network', transient: true });
  });
});
