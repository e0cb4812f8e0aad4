export type OutboundErrorCode = 'blocked_url' | 'bad_scheme' | 'http_status' | 'timeout' | 'too_large' | 'empty' | 'network';

/**
 * Why an outbound call failed, with a one-sentence message a person can act on. `transient` says
 * whether trying again later may succeed (connection faults, timeouts, 5xx, 429).
 */
export class OutboundError extends Error {
  readonly name = 'OutboundError';

  constructor(
    readonly code: OutboundErrorCode,
    message: string,
    readonly details: { transient?: boolean; status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }

  get transient(): boolean {
    return this.details.transient ?? false;
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** The URL without query string, fragment or user info: safe to show, since signed URLs carry secrets there. */
export function describeUrl(url: string | URL): string {
  try {
    const parsed = new URL(url.toString());
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
