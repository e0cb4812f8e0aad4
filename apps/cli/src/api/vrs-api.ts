import { createReadStream, createWriteStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ErrorBody, UploadCreated } from '@vrs/contracts';
import { CliError } from '../cli-error';
import type { Connection } from '../config/cli-config';

export type Progress = (done: number, total: number) => void;

/** The gateway's public API, as the CLI uses it; every failure becomes a CliError that says what to do. */
export class VrsApi {
  constructor(private readonly connection: Connection) {}

  async json<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    return (await res.json()) as T;
  }

  async text(path: string): Promise<string> {
    return (await this.send('GET', path)).text();
  }

  /** POST /uploads, then PUT the file's bytes to the uploadUrl; answers the upload's `src`. */
  async upload(path: string, size: number, contentType: string, onProgress: Progress): Promise<string> {
    const created = await this.json<UploadCreated>('POST', '/uploads', { filename: path.split(/[\\/]/).pop(), contentType, size });
    const res = await putFile(created.uploadUrl, path, size, onProgress).catch((error) => {
      throw this.unreachable(error, created.uploadUrl);
    });
    if (res.status !== 200) throw new CliError(`Uploading ${path} failed: ${describe(res.status, res.body)}`);
    return created.src;
  }

  /** Saves a signed output URL (no token needed) to `dest`. */
  async download(url: string, dest: string, onProgress: Progress): Promise<void> {
    const res = await fetch(url).catch((error) => {
      throw this.unreachable(error, url);
    });
    if (!res.ok || !res.body) throw new CliError(`Downloading ${url} failed: ${describe(res.status, await res.text())}`);
    const total = Number(res.headers.get('content-length') ?? 0);
    let done = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _e, next) {
        done += chunk.length;
        onProgress(done, total);
        next(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(res.body as any), counter, createWriteStream(dest));
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.connection.url}${path}`;
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${this.connection.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error) => {
      throw this.unreachable(error, url);
    });
    if (res.ok) return res;
    const text = await res.text();
    if (res.status === 401)
      throw new CliError(`The API token was refused by ${this.connection.url} (401): check VRS_TOKEN or --token, or run "vrs login" again.`);
    throw new CliError(`${method} ${path} failed: ${describe(res.status, text)}`);
  }

  private unreachable(error: unknown, url: string): CliError {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return new CliError(`Cannot reach ${new URL(url).origin} (${reason}): is the VRS gateway running there? Check VRS_URL or --url.`);
  }
}

/** "400: The request body has 1 invalid field: assets[0].src: … " plus one line per detail. */
function describe(status: number, body: string | Partial<ErrorBody>): string {
  let parsed: Partial<ErrorBody> | undefined;
  try {
    parsed = typeof body === 'string' ? JSON.parse(body) : body;
  } catch {
    parsed = undefined;
  }
  const message = parsed?.error ?? (typeof body === 'string' ? body.slice(0, 500) : '');
  const details = (parsed?.details ?? []).map((d) => `\n  ${d.field}: ${d.message}`).join('');
  return `${status} ${message}${details}`;
}

/** A streamed PUT with an exact Content-Length (fetch cannot stream a file with one), reporting bytes sent. */
function putFile(url: string, path: string, size: number, onProgress: Progress): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = (new URL(url).protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'PUT',
        headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    request.on('error', (error) => reject(Object.assign(new Error(error.message), { cause: error })));
    let sent = 0;
    const file = createReadStream(path);
    file.on('data', (chunk) => {
      sent += chunk.length;
      onProgress(sent, size);
    });
    file.on('error', (error) => request.destroy(error));
    file.pipe(request);
  });
}
