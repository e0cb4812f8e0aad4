import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '@vrs/testing';
import { CircuitBreakers, CircuitOpenError, CircuitTimeoutError } from './circuit-breakers';
import { downloadToFile } from './download';
import { isHostFailure } from './http-exchange';
import { createOutboundPolicy } from './outbound-policy';
import { startTestHttpServer, type TestHttpServer } from './testing/test-http-server';
import { isTransientFault } from './transient-fault';

describe('isTransientFault', () => {
  const policy = createOutboundPolicy('127.0.0.1/32');
  const once = { retries: 0, baseDelayMs: 1, maxDelayMs: 1 };
  let dir: string;
  let server: TestHttpServer;
  let breakers: CircuitBreakers;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'transient-'));
    server = await startTestHttpServer((req, res) => void res.writeHead(req.url === '/busy' ? 503 : 404).end('no'));
  });
  beforeEach(() => {
    breakers = new CircuitBreakers({ timeout: false, volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeout: 60_000 }, isHostFailure);
  });
  afterEach(() => breakers.shutdown());
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const failure = (url: string) =>
    downloadToFile(url, join(dir, 'out'), { policy, breakers, retry: once }).then(
      () => undefined,
      (error: unknown) => error,
    );

  it('counts a refused connection (a peer restarting) as transient', async () => {
    const error = await failure(`http://127.0.0.1:${await closedPort()}/clip.mp4`);
    expect(String(error)).toMatch(/ECONNREFUSED/);
    expect(isTransientFault(error)).toBe(true);
  });

  it('counts an open circuit breaker as transient, however it arrives', async () => {
    const port = await closedPort();
    for (let i = 0; i < 2; i++) await failure(`http://127.0.0.1:${port}/clip.mp4`);
    const error = await failure(`http://127.0.0.1:${port}/clip.mp4`);
    expect(String(error)).toMatch(/paused after repeated failures/);
    expect(isTransientFault(error)).toBe(true);
    expect(isTransientFault(new CircuitOpenError('127.0.0.1:3000', 30_000))).toBe(true);
    expect(isTransientFault(new CircuitTimeoutError('127.0.0.1:3000', 30_000))).toBe(true);
  });

  it('counts a 5xx as transient and a 404 as permanent', async () => {
    expect(isTransientFault(await failure(`${server.url}/busy`))).toBe(true);
    const missing = await failure(`${server.url}/missing.mp4`);
    expect(String(missing)).toMatch(/answered 404/);
    expect(isTransientFault(missing)).toBe(false);
  });

  it('reads S3 SDK and socket errors by status and code, and calls anything else permanent', () => {
    expect(isTransientFault(Object.assign(new Error('SlowDown'), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isTransientFault(Object.assign(new Error('NoSuchKey'), { $metadata: { httpStatusCode: 404 } }))).toBe(false);
    expect(isTransientFault(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9000'))).toBe(true);
    expect(isTransientFault(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientFault(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isTransientFault(new Error('Input clip 2 is damaged'))).toBe(false);
    expect(isTransientFault(undefined)).toBe(false);
  });
});
