import * as http from 'node:http';
import * as https from 'node:https';
import { breakerConfigFromEnv, CircuitBreakers, CircuitOpenError, CircuitTimeoutError } from './circuit-breakers';
import { describeUrl, OutboundError } from './outbound-error';
import { pinnedLookup, type SafeTarget } from './safe-target';

export interface ExchangeOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  connectTimeoutMs: number;
  /** Longest silence allowed while waiting for the response headers. */
  idleTimeoutMs: number;
  signal?: AbortSignal;
}

/** Error codes of the socket layer that are worth trying again. */
export const TRANSIENT_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * One request to a checked target, connecting only to its pinned addresses, with a connect timeout and
 * an idle timeout until the headers arrive. Resolves with the response whatever its status.
 */
export function exchange(target: SafeTarget, options: ExchangeOptions): Promise<http.IncomingMessage> {
  const { url } = target;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: options.method,
      headers: options.headers,
      lookup: pinnedLookup(target),
      // A fresh connection per call: pooled sockets would outlive the address check and keep servers busy.
      agent: false,
      signal: options.signal,
    });
    request.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(
        () =>
          request.destroy(
            new OutboundError('timeout', `Could not connect to ${url.host} within ${options.connectTimeoutMs} ms; the server may be down or unreachable.`, {
              transient: true,
            }),
          ),
        options.connectTimeoutMs,
      );
      socket.once('connect', () => clearTimeout(timer));
      request.once('close', () => clearTimeout(timer));
    });
    request.setTimeout(options.idleTimeoutMs, () =>
      request.destroy(
        new OutboundError('timeout', `${url.host} did not answer within ${options.idleTimeoutMs} ms; the server may be overloaded, try again later.`, {
          transient: true,
        }),
      ),
    );
    request.once('response', (response) => {
      request.setTimeout(0);
      resolve(response);
    });
    request.once('error', (error) => reject(toOutboundError(error, url, options.signal)));
    request.end(options.body);
  });
}

/** Maps socket, abort and breaker errors to OutboundError; OutboundErrors pass through. */
export function toOutboundError(error: unknown, url: URL, signal?: AbortSignal): OutboundError {
  if (error instanceof OutboundError) return error;
  if (error instanceof CircuitOpenError) return new OutboundError('network', error.message, { transient: true, cause: error });
  if (error instanceof CircuitTimeoutError) return new OutboundError('timeout', error.message, { transient: true, cause: error });
  if (signal?.aborted && signal.reason instanceof OutboundError) return signal.reason;
  if (signal?.aborted && signal.reason instanceof CircuitTimeoutError) return toOutboundError(signal.reason, url);
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code ?? (error as Error).message;
  return new OutboundError(
    'network',
    `The connection to ${url.host} failed (${reason}) while fetching ${describeUrl(url)}; check that the server is up and reachable.`,
    {
      transient: code === undefined || TRANSIENT_SOCKET_CODES.has(code),
      cause: error,
    },
  );
}

/** Breaker failures: the host's fault (network, timeouts, 5xx, 429), not ours (404, refused URL). */
export function isHostFailure(error: unknown): boolean {
  return !(error instanceof OutboundError) || error.transient;
}

let shared: CircuitBreakers | undefined;

/** The process-wide per-host breakers for outbound calls, configured from env (see breakerConfigFromEnv). */
export function sharedOutboundBreakers(): CircuitBreakers {
  shared ??= new CircuitBreakers(breakerConfigFromEnv(), isHostFailure);
  return shared;
}

/** Seconds or an HTTP date in Retry-After, as milliseconds. */
export function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
