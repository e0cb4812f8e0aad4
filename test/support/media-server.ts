import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface MediaServer {
  url(name: string): string;
  close(): Promise<void>;
  requests: string[];
}

/** Serves the files of `dir` over HTTP on 127.0.0.1 (a stand-in for users' CDNs); `/missing` answers 404. */
export async function serveDirectory(dir: string): Promise<MediaServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^(\.\.[/\\])+/, '');
    requests.push(name);
    const path = join(dir, name);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A clip source that sends its headers and a first kilobyte, then nothing: the job stays busy until cancelled. */
export async function startStallingSource(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(50 * 1024 * 1024) });
    res.write(Buffer.alloc(1024));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slow.mp4`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
