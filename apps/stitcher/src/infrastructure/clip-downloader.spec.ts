import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childOutputKey } from '@vrs/contracts';
import { MediaError } from '@vrs/media';
import { createOutboundPolicy, isTransientFault } from '@vrs/net';
import { LocalOutputStorage, type OutputStorage } from '@vrs/storage';
import { closedPort } from '@vrs/testing';
import { ClipDownloadError, downloadClips, downloadSoundtrack, SoundtrackDownloadError, type DownloadSettings } from './clip-downloader';

/** Real local storage whose reads fail with `failures` (in order) before they work: a store restarting. */
function flakyStorage(root: string, failures: Error[]): OutputStorage & { reads: string[] } {
  const real = new LocalOutputStorage(root);
  const reads: string[] = [];
  return Object.assign(Object.create(real) as OutputStorage, {
    reads,
    createReadStream: (key: string) => {
      reads.push(key);
      const failure = failures.shift();
      return failure ? Promise.reject(failure) : real.createReadStream(key);
    },
  });
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' });

describe('downloadClips', () => {
  let dir: string;
  let root: string;
  let server: Server;
  let serverUrl: string;
  const hits: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clip-downloader-'));
    root = join(dir, 'storage');
    await new LocalOutputStorage(root).put(childOutputKey('job-1', 1), await writeSource(dir, 'rendered', 'rendered bytes'), 'video/mp4');
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/missing.mp3') res.writeHead(404).end();
      else if (req.url === '/huge.mp3') res.end(Buffer.alloc(2 * 1024 * 1024));
      else res.end('user clip bytes');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const settings = (storage: OutputStorage): DownloadSettings => ({
    policy: createOutboundPolicy('127.0.0.1/32'),
    maxBytes: 1024 * 1024,
    idleTimeoutMs: 5_000,
    concurrency: 2,
    storage,
    retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 },
    sourceRetry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 },
  });
  const fetchInto = async (name: string, storage: OutputStorage, clips: Parameters<typeof downloadClips>[1]) => {
    const into = await mkdtemp(join(dir, name));
    return downloadClips('job-1', clips, into, settings(storage), new AbortController().signal, () => undefined);
  };

  it('reads a rendered clip from storage at its child key, never through its (gateway) URL, while user URLs are downloaded', async () => {
    const storage = flakyStorage(root, []);
    const gatewayDown = `http://127.0.0.1:${await closedPort()}/outputs/whatever.mp4`;
    const paths = await fetchInto('both-', storage, [{ src: `${serverUrl}/user.mp4` }, { src: gatewayDown, rendered: true }]);
    expect(await readFile(paths[0], 'utf8')).toBe('user clip bytes');
    expect(await readFile(paths[1], 'utf8')).toBe('rendered bytes');
    expect(storage.reads).toEqual([childOutputKey('job-1', 1)]);
    expect(hits).toEqual(['/user.mp4']);
  });

  it('retries a transient storage fault (the store restarting) and then succeeds', async () => {
    const storage = flakyStorage(root, [refused(), refused()]);
    const paths = await fetchInto('flaky-', storage, [{ src: `${serverUrl}/a.mp4` }, { src: `${serverUrl}/b.mp4`, rendered: true }]);
    expect(await readFile(paths[1], 'utf8')).toBe('rendered bytes');
    expect(storage.reads).toHaveLength(3);
  });

  it('fails a rendered clip missing from storage at once (permanent), naming the clip', async () => {
    const storage = flakyStorage(root, []);
    const error = await fetchInto('missing-', storage, [{ src: `${serverUrl}/x.mp4`, rendered: true }]).catch((e) => e);
    expect(error).toBeInstanceOf(ClipDownloadError);
    expect(error.clipIndex).toBe(0);
    expect(error.message).toMatch(/^clip 1 \(a rendered clip\) could not be read from storage: No stored output has the key "c[0-9a-f]+\.mp4"/);
    expect(storage.reads).toHaveLength(1);
  });

  it('gives up on a fault that outlasts the retry budget, naming the clip', async () => {
    const storage = flakyStorage(root, [refused(), refused(), refused(), refused(), refused()]);
    const error = await fetchInto('down-', storage, [{ src: `${serverUrl}/a.mp4` }, { src: `${serverUrl}/b.mp4`, rendered: true }]).catch((e) => e);
    expect(error).toBeInstanceOf(ClipDownloadError);
    expect(error.message).toMatch(/^clip 2 \(a rendered clip\) could not be read from storage: connect ECONNREFUSED/);
    expect(storage.reads).toHaveLength(4);
  });

  describe('downloadSoundtrack', () => {
    const fetchSoundtrack = async (src: string, policy = createOutboundPolicy('127.0.0.1/32')) => {
      const into = await mkdtemp(join(dir, 'music-'));
      return downloadSoundtrack(src, into, { ...settings(new LocalOutputStorage(root)), policy }, new AbortController().signal);
    };

    it("fetches the music through the outbound policy like a caller's clip", async () => {
      expect(await readFile(await fetchSoundtrack(`${serverUrl}/music.mp3`), 'utf8')).toBe('user clip bytes');
      expect(hits).toContain('/music.mp3');
    });

    it.each([
      [
        'the policy refuses its address',
        '/music.mp3',
        createOutboundPolicy(''),
        /could not be fetched: The URL points at the address 127\.0\.0\.1, a loopback address/,
      ],
      ['the server answers 404', '/missing.mp3', undefined, /could not be fetched: The server answered 404/],
      ['it is over the size limit', '/huge.mp3', undefined, /could not be fetched: The file at .* is larger than the .+ limit/],
    ])('fails naming settings.soundtrack.src when %s', async (_, path, policy, reason) => {
      const error = await fetchSoundtrack(`${serverUrl}${path}`, policy).catch((e) => e);
      expect(error).toBeInstanceOf(SoundtrackDownloadError);
      expect(error.message).toMatch(new RegExp(`^settings\\.soundtrack\\.src \\(127\\.0\\.0\\.1:\\d+\\) could not be fetched: `));
      expect(error.message).toMatch(reason);
    });
  });

  it('treats a clip that is not valid media as permanent', () => {
    expect(isTransientFault(new MediaError('corrupt', 'Input clip 2 is damaged (Invalid NAL unit size); re-export or re-upload it.', 1))).toBe(false);
  });
});

async function writeSource(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}
