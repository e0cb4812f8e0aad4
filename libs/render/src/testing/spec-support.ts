import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { runFfmpeg } from '@vrs/media';
import type { FetchMedia } from '../driver/render-driver';

/** For specs only: serves in-memory bodies and local files on 127.0.0.1 (a port the OS picks). */
export interface FixtureServer {
  url(path: string): string;
  serve(path: string, body: string | Buffer): void;
  serveFile(path: string, filePath: string): void;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, () => Promise<Buffer>>();
  const server: Server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) return void res.writeHead(404).end('not found');
    route().then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path) => `${base}${path}`,
    serve: (path, body) => void routes.set(path, async () => Buffer.from(body)),
    serveFile: (path, filePath) => void routes.set(path, () => readFile(filePath)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** For specs only: a plain HTTP download (production callers inject their safe downloader). */
export const fetchOverHttp: FetchMedia = async (url, destPath) => {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
  await pipeline(Readable.fromWeb(response.body as never), createWriteStream(destPath));
};

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `vrs-render-${prefix}-`));
}

/** Decodes the frame at `atSec` as raw RGB24 bytes (optionally also saved as PNG). */
export async function grabFrameRgb(videoPath: string, atSec: number, workDir: string, pngPath?: string): Promise<Buffer> {
  const rawPath = join(workDir, `frame-${atSec}-${Math.random().toString(36).slice(2)}.rgb`);
  await runFfmpeg({
    inputs: [{ source: videoPath, options: ['-ss', String(atSec)] }],
    output: rawPath,
    outputOptions: ['-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24'],
  });
  if (pngPath)
    await runFfmpeg({
      inputs: [{ source: videoPath, options: ['-ss', String(atSec)] }],
      output: pngPath,
      outputOptions: ['-frames:v', '1', '-f', 'image2', '-update', '1'],
    });
  return readFile(rawPath);
}

/** The share of bytes differing by more than `tolerance` (codec noise) between two frames. */
export function differingShare(a: Buffer, b: Buffer, tolerance = 24): number {
  if (a.length !== b.length) return 1;
  let differing = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > tolerance) differing++;
  return differing / a.length;
}

/** Makes small real media files with ffmpeg for specs: a PNG still and an MP4 with a tone. */
export async function makeSampleMedia(dir: string): Promise<{ png: string; mp4WithTone: string; wav: string }> {
  const png = join(dir, 'sample.png');
  const mp4WithTone = join(dir, 'sample.mp4');
  const wav = join(dir, 'tone.wav');
  await runFfmpeg({
    inputs: [{ source: 'color=c=red:s=64x48:d=1', format: 'lavfi' }],
    output: png,
    outputOptions: ['-frames:v', '1', '-f', 'image2', '-update', '1'],
  });
  await runFfmpeg({
    inputs: [
      { source: 'testsrc2=s=160x90:r=25:d=1', format: 'lavfi' },
      { source: 'sine=f=440:d=1', format: 'lavfi' },
    ],
    output: mp4WithTone,
    outputOptions: ['-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-f', 'mp4'],
  });
  await runFfmpeg({ inputs: [{ source: 'sine=f=880:d=1', format: 'lavfi' }], output: wav, outputOptions: ['-f', 'wav'] });
  return { png, mp4WithTone, wav };
}

/** A template with one composition, `intro` (320x180, 25 fps, 2 s), for specs; `intro` adds or overrides its fields. */
export function introTemplate(intro: Record<string, unknown>, top: Record<string, unknown> = {}) {
  return { name: 'Greeting', driver: 'builtin', compositions: { intro: { width: 320, height: 180, fps: 25, durationSec: 2, ...intro } }, ...top };
}
