import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childOutputKey } from '@vrs/contracts';
import { createOutboundPolicy } from '@vrs/net';
import { LocalOutputStorage } from '@vrs/storage';
import { closedPort } from '@vrs/testing';
import { mediaFetcher } from './media-fetcher';

describe('mediaFetcher', () => {
  let dir: string;
  let server: Server;
  let serverUrl: string;
  const hits: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-fetcher-'));
    await writeFile(join(dir, 'nested'), 'nested output');
    await new LocalOutputStorage(join(dir, 'storage')).put(childOutputKey('render-1', 0), join(dir, 'nested'), 'video/mp4');
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('layer media');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a nested job's output from storage at its child key (the gateway need not be up) and downloads other media", async () => {
    const gatewayDown = `http://127.0.0.1:${await closedPort()}/outputs/nested.mp4?sig=x`;
    const fetchMedia = mediaFetcher(
      {
        jobId: 'render-1',
        assets: [
          { type: 'video', layerName: 'clip', src: gatewayDown },
          { type: 'image', layerName: 'logo', src: `${serverUrl}/logo.png` },
        ],
        renderedAssets: [0],
      },
      {
        policy: createOutboundPolicy('127.0.0.1/32'),
        maxBytes: 1024,
        signal: new AbortController().signal,
        storage: new LocalOutputStorage(join(dir, 'storage')),
        retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        sourceRetry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      },
    );
    await fetchMedia(gatewayDown, join(dir, 'a'));
    await fetchMedia(`${serverUrl}/logo.png`, join(dir, 'b'));
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('nested output');
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe('layer media');
    expect(hits).toEqual(['/logo.png']);
  });

  it('reads storage only for assets the orchestrator listed: the same URL elsewhere is downloaded like any other', async () => {
    const url = `${serverUrl}/outputs/${childOutputKey('render-1', 0)}`;
    const fetchMedia = mediaFetcher(
      { jobId: 'render-1', assets: [{ type: 'video', layerName: 'clip', src: url }] },
      {
        policy: createOutboundPolicy('127.0.0.1/32'),
        maxBytes: 1024,
        signal: new AbortController().signal,
        storage: new LocalOutputStorage(join(dir, 'storage')),
        retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        sourceRetry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      },
    );
    await fetchMedia(url, join(dir, 'c'));
    expect(await readFile(join(dir, 'c'), 'utf8')).toBe('layer media');
  });
});
