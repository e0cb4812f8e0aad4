import type { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { backoffDelay, type CircuitBreakers, type RetryOptions } from '@vrs/net';

export interface S3ConnectionConfig {
  /** Omit for AWS itself (https://s3.<region>.amazonaws.com). */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
  retry: RetryOptions;
  connectTimeoutMs?: number;
  /** Longest silence on a socket before the request fails. */
  requestTimeoutMs?: number;
  /** Agent that connects only to vetted addresses (see pinnedAgent in @vrs/net). */
  agent?: Agent;
  /** Per-host breakers every request passes through, keyed by `breakerKey`. */
  breakers?: CircuitBreakers;
  breakerKey?: string;
}

/** The answer's HTTP status on an SDK error; undefined when no answer came (network fault). */
export function s3HttpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** Breaker failures for S3: no answer, 5xx or throttling; not 4xx such as a missing key or wrong secret. */
export function isS3HostFailure(error: unknown): boolean {
  const status = s3HttpStatus(error);
  return status === undefined || status >= 500 || status === 429;
}

/**
 * An S3 client for S3-compatible servers: path-style addressing, checksums only where the API requires
 * them (many S3-compatible servers reject the newer default trailers), our backoff for retries.
 */
export function createS3Client(config: S3ConnectionConfig): S3Client {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    forcePathStyle: config.forcePathStyle ?? true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: config.retry.retries + 1,
    retryStrategy: new BackoffRetryStrategy(config.retry),
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs ?? 5_000,
      requestTimeout: config.requestTimeoutMs ?? 60_000,
      ...(config.agent ? { httpAgent: config.agent, httpsAgent: config.agent } : {}),
    },
  });
  const { breakers, breakerKey } = config;
  if (breakers && breakerKey) {
    // Inside the retry loop and around deserialisation, so every attempt counts with its parsed status.
    client.middlewareStack.add((next) => (args) => breakers.run(breakerKey, () => next(args)), {
      step: 'deserialize',
      priority: 'high',
      name: 'vrsCircuitBreaker',
    });
  }
  return client;
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/**
 * The SDK's retry hook driven by our backoff (exponential + jitter): transient faults, 5xx and
 * throttling are retried up to `retries` times; client errors (wrong key, missing bucket) are not.
 */
class BackoffRetryStrategy {
  readonly mode = 'vrs-backoff';

  constructor(private readonly options: RetryOptions) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, errorInfo: { errorType: string; retryAfterHint?: Date }): Promise<RetryToken> {
    const retry = previous.getRetryCount();
    if (errorInfo.errorType === 'CLIENT_ERROR' || retry >= this.options.retries) throw new Error('no retries left');
    const requested = errorInfo.retryAfterHint ? errorInfo.retryAfterHint.getTime() - Date.now() : 0;
    return token(retry + 1, Math.min(this.options.maxDelayMs, Math.max(backoffDelay(retry, this.options), requested)));
  }

  recordSuccess(): void {
    // Nothing to track: no retry budget shared between calls.
  }
}

function token(retryCount: number, delayMs: number): RetryToken {
  return { getRetryCount: () => retryCount, getRetryDelay: () => delayMs };
}
