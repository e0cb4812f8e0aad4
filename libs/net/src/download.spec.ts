import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '@vrs/testing';
import { CircuitBreakers } from './circuit-breakers';
import { downloadToFile, type DownloadOptions } from './download';
import { isHostFailure } from './http-exchange';
import { OutboundError } from './outbound-error';
import { createOutboundPolicy } from './outbound-policy';
import { startTestHttpServer, type TestHttpServer } from './testing/test-http-server';

describe('downloadToFile', () => {
  const policy = createOutboundPolicy('127.0.0.1/32');
  let dir: string;
  let server: TestHttpServer;
  let breakers: CircuitBreakers;
  let failuresBefore200: number;

  const options = (extra: DownloadOptions = {}): DownloadOptions => ({
    policy,
    breakers,
    retry: { retries: 2, baseDelayMs: 20, maxDelayMs: 100 },
    ...extra,
  });

  beforeAll(async () => {
    server = await startTestHttpServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/clip.mp4') return void res.end(Buffer.alloc(256 * 1024, 7));
      if (path === '/missing.mp4') return void res.writeHead(404).end('no');
      if (path === '/empty.mp4') return void res.writeHead(200, { 'content-length': '0' }).end();
      if (path === '/huge-declared.mp4') return void res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) }).end();
      if (path === '/huge-streamed.mp4') {
        // No Content-Length: the limit has to trip while streaming.
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        const timer = setInterval(() => res.write(chunk), 1);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (path === '/stall.mp4') {
        res.writeHead(200, { 'content-length': '1000' });
        return void res.write(Buffer.alloc(10));
      }
      if (path === '/flaky.mp4') {
        if (failuresBefore200-- > 0) return void res.writeHead(503).end('busy');
        return void res.end('finally');
      }
      if (path === '/to-blocked') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (path === '/to-ipv6-loopback') return void res.writeHead(302, { location: `http://[::1]:${server.port}/clip.mp4` }).end();
      if (path === '/hop1') return void res.writeHead(301, { location: '/hop2' }).end();
      if (path === '/hop2') return void res.writeHead(307, { location: `${server.url}/clip.mp4` }).end();
      if (path.startsWith('/loop')) return void res.writeHead(302, { location: `/loop${path.length}` }).end();
      res.writeHead(500).end();
    });
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vrs-net-'));
    breakers = new CircuitBreakers({ timeout: false, volumeThreshold: 100 }, isHostFailure);
    server.hits.length = 0;
  });

  afterEach(async () => {
    breakers.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  afterAll(() => server.close());

  async function failure(url: string, extra?: DownloadOptions): Promise<OutboundError> {
    const error = await downloadToFile(url, join(dir, 'out.mp4'), options(extra)).then(
      () => undefined,
      (e) => e,
    );
    expect(error).toBeInstanceOf(OutboundError);
    expect(existsSync(join(dir, 'out.mp4'))).toBe(false);
    expect(await readdir(dir)).toEqual([]); // no partial file left behind
    return error;
  }

  it('streams the file to disk and reports its size', async () => {
    const result = await downloadToFile(`${server.url}/clip.mp4`, join(dir, 'out.mp4'), options());
    expect(result).toMatchObject({ bytes: 256 * 1024, attempts: 1 });
    expect((await readFile(join(dir, 'out.mp4'))).equals(Buffer.alloc(256 * 1024, 7))).toBe(true);
  });

  it('follows same-origin redirects and reports the final URL', async () => {
    const result = await downloadToFile(`${server.url}/hop1`, join(dir, 'out.mp4'), options());
    expect(result.finalUrl).toBe(`${server.url}/clip.mp4`);
    expect(server.hits).toEqual(['GET /hop1', 'GET /hop2', 'GET /clip.mp4']);
  });

  it('stops after 5 redirects', async () => {
    const error = await failure(`${server.url}/loop`);
    expect(error.code).toBe('http_status');
    expect(error.message).toContain('redirected more than 5 times');
    expect(server.hits).toHaveLength(6);
  });

  it('refuses a redirect from an allowed server to the metadata address', async () => {
    const error = await failure(`${server.url}/to-blocked`);
    expect(error.code).toBe('blocked_url');
    expect(error.message).toContain('169.254.169.254');
    expect(server.hits).toEqual(['GET /to-blocked']); // refused before any retry or connection
  });

  it('re-checks every hop against the allow-list (::1 is not on it)', async () => {
    expect((await failure(`${server.url}/to-ipv6-loopback`)).code).toBe('blocked_url');
  });

  it('refuses blocked addresses and schemes without connecting', async () => {
    const blocked = createOutboundPolicy('');
    for (const url of ['http://169.254.169.254/', 'http://10.0.0.1/a.mp4', 'http://[::1]/a.mp4', 'http://0.0.0.0/a.mp4', `${server.url}/clip.mp4`]) {
      expect((await failure(url, { policy: blocked })).code).toBe('blocked_url');
    }
    expect((await failure('file:///etc/passwd')).code).toBe('bad_scheme');
    expect(server.hits).toEqual([]);
  });

  it('answers 404 once, without retrying, with the status in the message', async () => {
    const error = await failure(`${server.url}/missing.mp4`);
    expect(error).toMatchObject({ code: 'http_status', status: 404 });
    expect(error.message).toContain('answered 404');
    expect(server.hits).toEqual(['GET /missing.mp4']);
  });

  it('retries a 503 and succeeds when the server recovers', async () => {
    failuresBefore200 = 2;
    const result = await downloadToFile(`${server.url}/flaky.mp4`, join(dir, 'out.mp4'), options());
    expect(result.attempts).toBe(3);
    expect(await readFile(join(dir, 'out.mp4'), 'utf8')).toBe('finally');
  });

  it('gives up after the configured retries on a lasting 503', async () => {
    failuresBefore200 = 100;
    const error = await failure(`${server.url}/flaky.mp4`);
    expect(error).toMatchObject({ code: 'http_status', status: 503 });
    expect(server.hits).toHaveLength(3);
  });

  it('refuses a declared size over the limit before reading the body', async () => {
    const error = await failure(`${server.url}/huge-declared.mp4`, { maxBytes: 1024 * 1024 });
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('1 MiB limit');
  });

  it('aborts a body that grows past the limit while streaming', async () => {
    const error = await failure(`${server.url}/huge-streamed.mp4`, { maxBytes: 1024 * 1024 });
    expect(error.code).toBe('too_large');
    expect(server.hits).toHaveLength(1);
  });

  it('times out a stalled body and retries it', async () => {
    const started = Date.now();
    const error = await failure(`${server.url}/stall.mp4`, { idleTimeoutMs: 200, retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 10 } });
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('stopped sending data');
    expect(server.hits).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('enforces the total time limit across retries', async () => {
    const error = await failure(`${server.url}/stall.mp4`, { idleTimeoutMs: 5000, totalTimeoutMs: 300 });
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('did not finish within');
  });

  it('calls a zero-byte answer empty', async () => {
    const error = await failure(`${server.url}/empty.mp4`);
    expect(error.code).toBe('empty');
    expect(error.message).toContain('empty (0 bytes)');
  });

  it('reports a refused connection as a network error after bounded retries', async () => {
    const port = await closedPort();
    const error = await failure(`http://127.0.0.1:${port}/a.mp4`);
    expect(error.code).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });
});
