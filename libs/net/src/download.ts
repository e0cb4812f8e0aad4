import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { logger } from '@vrs/observability';
import type { CircuitBreakers } from './circuit-breakers';
import { exchange, retryAfterMs, sharedOutboundBreakers, toOutboundError } from './http-exchange';
import { describeUrl, OutboundError } from './outbound-error';
import type { OutboundPolicy } from './outbound-policy';
import { DEFAULT_RETRY, retryWithBackoff, type RetryOptions } from './retry';
import { resolveSafeTarget } from './safe-target';

export interface DownloadOptions {
  policy?: OutboundPolicy;
  breakers?: CircuitBreakers;
  /** Largest file accepted, in bytes. */
  maxBytes?: number;
  connectTimeoutMs?: number;
  /** Longest silence allowed while waiting for headers or between chunks of the body. */
  idleTimeoutMs?: number;
  /** Limit for the whole download, retries and redirects included. */
  totalTimeoutMs?: number;
  maxRedirects?: number;
  retry?: Partial<RetryOptions>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  /** The URL that answered after redirects. */
  finalUrl: string;
  contentType?: string;
  attempts: number;
}

export const DOWNLOAD_DEFAULTS = {
  maxBytes: 4 * 1024 ** 3,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  totalTimeoutMs: 30 * 60_000,
  maxRedirects: 5,
};

const WRITE_BUFFER_BYTES = 2 ** 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const log = logger('net.download');

/**
 * Streams `url` into `destPath` (memory stays flat whatever the size), following at most `maxRedirects`
 * redirects with every hop checked against the policy, and retrying transient failures with backoff.
 * The file appears at `destPath` only when complete. Throws OutboundError.
 */
export async function downloadToFile(url: string, destPath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const settings = { ...DOWNLOAD_DEFAULTS, ...definedOnly(options), retry: { ...DEFAULT_RETRY, ...definedOnly(options.retry ?? {}) } };
  const deadline = AbortSignal.timeout(settings.totalTimeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const timedOut = () =>
    new OutboundError(
      'timeout',
      `Downloading ${describeUrl(url)} did not finish within ${Math.round(settings.totalTimeoutMs / 1000)}s; try a faster source or a smaller file.`,
    );

  let attempts = 0;
  try {
    return await retryWithBackoff(
      async (attempt) => {
        attempts = attempt;
        const result = await downloadOnce(url, destPath, settings, signal);
        return { ...result, attempts };
      },
      settings.retry,
      {
        isRetryable: (error) => error instanceof OutboundError && error.transient,
        requestedDelayMs: (error) => (error instanceof OutboundError ? error.details.retryAfterMs : undefined),
        onRetry: (error, attempt, delayMs) =>
          log.warn('download attempt failed, retrying', { url: describeUrl(url), attempt, delayMs, error: (error as Error).message }),
        signal,
      },
    );
  } catch (error) {
    if (deadline.aborted) throw timedOut();
    throw error;
  }
}

type Settings = typeof DOWNLOAD_DEFAULTS & DownloadOptions & { retry: RetryOptions };

async function downloadOnce(url: string, destPath: string, settings: Settings, signal: AbortSignal): Promise<Omit<DownloadResult, 'attempts'>> {
  const { response, finalUrl } = await openFollowingRedirects(url, settings, signal);
  const status = response.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    response.resume();
    throw new OutboundError('http_status', `The server answered ${status} for ${describeUrl(finalUrl)}; check that the URL is right and publicly readable.`, {
      status,
      transient: status === 408,
    });
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > settings.maxBytes) {
    response.destroy();
    throw tooLarge(finalUrl, settings.maxBytes);
  }

  const tempPath = `${destPath}.part-${randomBytes(4).toString('hex')}`;
  let bytes = 0;
  // Counted as it arrives (no extra stream stage); the file is written in large pieces (fewer writes).
  response.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > settings.maxBytes) response.destroy(tooLarge(finalUrl, settings.maxBytes));
  });
  response.setTimeout(settings.idleTimeoutMs, () =>
    response.destroy(
      new OutboundError('timeout', `${finalUrl.host} stopped sending data for ${settings.idleTimeoutMs} ms during the download; try again later.`, {
        transient: true,
      }),
    ),
  );
  try {
    await pipeline(response, createWriteStream(tempPath, { highWaterMark: WRITE_BUFFER_BYTES }), { signal });
    if (bytes === 0)
      throw new OutboundError('empty', `The file at ${describeUrl(finalUrl)} is empty (0 bytes); check that the URL points at the finished file.`);
    await rename(tempPath, destPath);
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    throw toOutboundError(error, finalUrl, signal);
  }
  return { path: destPath, bytes, finalUrl: finalUrl.toString(), contentType: response.headers['content-type'] };
}

/** GETs `url`, following redirects by hand so each hop passes the address check before any connection. */
async function openFollowingRedirects(url: string, settings: Settings, signal: AbortSignal): Promise<{ response: IncomingMessage; finalUrl: URL }> {
  const breakers = settings.breakers ?? sharedOutboundBreakers();
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = await resolveSafeTarget(current, settings.policy);
    const response = await breakers
      .run(target.url.host, async (breakerSignal) => {
        const res = await exchange(target, {
          method: 'GET',
          headers: settings.headers,
          connectTimeoutMs: settings.connectTimeoutMs,
          idleTimeoutMs: settings.idleTimeoutMs,
          signal: AbortSignal.any([signal, breakerSignal]),
        });
        const status = res.statusCode ?? 0;
        if (status >= 500 || status === 429) {
          res.resume();
          throw new OutboundError('http_status', `The server answered ${status} for ${describeUrl(target.url)}; it may be overloaded, try again later.`, {
            status,
            transient: true,
            retryAfterMs: retryAfterMs(res.headers['retry-after']),
          });
        }
        return res;
      })
      .catch((error) => Promise.reject(toOutboundError(error, target.url, signal)));

    const location = response.headers.location;
    if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || !location) return { response, finalUrl: target.url };
    response.resume();
    if (hop >= settings.maxRedirects) {
      throw new OutboundError('http_status', `${describeUrl(url)} redirected more than ${settings.maxRedirects} times; give the final URL of the file.`, {
        status: response.statusCode,
      });
    }
    current = new URL(location, target.url).toString();
  }
}

/** Drops undefined fields so `{ maxBytes: undefined }` keeps the default instead of erasing it. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function tooLarge(url: URL, maxBytes: number): OutboundError {
  return new OutboundError('too_large', `The file at ${describeUrl(url)} is larger than the ${formatBytes(maxBytes)} limit; use a smaller file.`);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}
