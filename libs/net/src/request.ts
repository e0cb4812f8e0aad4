import type { IncomingHttpHeaders } from 'node:http';
import type { CircuitBreakers } from './circuit-breakers';
import { exchange, sharedOutboundBreakers, toOutboundError } from './http-exchange';
import { OutboundError } from './outbound-error';
import type { OutboundPolicy } from './outbound-policy';
import { resolveSafeTarget } from './safe-target';

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Limit for the whole exchange, body included. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** Response body beyond this many bytes is dropped (the caller only needs a hint of what went wrong). */
  maxResponseBytes?: number;
  policy?: OutboundPolicy;
  breakers?: CircuitBreakers;
  signal?: AbortSignal;
}

export interface HttpResponseSummary {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  durationMs: number;
}

/** A 5xx/429 answer, thrown inside the breaker so it counts against the host, then handed back as a result. */
class UnhealthyAnswer extends Error {
  constructor(readonly response: HttpResponseSummary) {
    super(`server answered ${response.status}`);
  }
}

/**
 * One small request (webhooks and the like) to a URL that passes the policy. Redirects are not followed:
 * a 3xx comes back as the status, so a receiver cannot bounce the call to an internal address.
 * Resolves for any HTTP status; throws OutboundError when no answer came (blocked, network, timeout).
 */
export async function request(url: string, options: HttpRequestOptions = {}): Promise<HttpResponseSummary> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const started = performance.now();
  const target = await resolveSafeTarget(url, options.policy);
  const breakers = options.breakers ?? sharedOutboundBreakers();
  try {
    return await breakers.run(target.url.host, async (breakerSignal) => {
      const response = await exchange(target, {
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body,
        connectTimeoutMs: options.connectTimeoutMs ?? Math.min(timeoutMs, 5_000),
        idleTimeoutMs: timeoutMs,
        signal: AbortSignal.any([signal, breakerSignal]),
      });
      const limit = options.maxResponseBytes ?? 64 * 1024;
      const chunks: Buffer[] = [];
      let kept = 0;
      for await (const chunk of response as AsyncIterable<Buffer>) {
        if (kept < limit) chunks.push(chunk.subarray(0, limit - kept));
        kept += chunk.length;
      }
      const summary: HttpResponseSummary = {
        status: response.statusCode ?? 0,
        headers: response.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        durationMs: Math.round(performance.now() - started),
      };
      if (summary.status >= 500 || summary.status === 429) throw new UnhealthyAnswer(summary);
      return summary;
    });
  } catch (error) {
    if (error instanceof UnhealthyAnswer) return error.response;
    if (deadline.aborted) {
      throw new OutboundError('timeout', `${target.url.host} did not answer within ${timeoutMs} ms; the receiver may be down or slow.`, {
        transient: true,
        cause: error,
      });
    }
    throw toOutboundError(error, target.url, signal);
  }
}

/** POSTs `payload` as JSON; see `request` for what resolves and what throws. */
export function postJson(url: string, payload: unknown, options: Omit<HttpRequestOptions, 'body'> = {}): Promise<HttpResponseSummary> {
  return request(url, {
    ...options,
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}
