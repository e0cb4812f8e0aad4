import { CircuitOpenError, CircuitTimeoutError } from './circuit-breakers';
import { TRANSIENT_SOCKET_CODES } from './http-exchange';
import { OutboundError } from './outbound-error';

interface ErrorShape {
  code?: string;
  name?: string;
  message?: string;
  cause?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Whether trying the same thing again later may succeed: a peer restarting or overloaded (connection
 * refused or reset, an open circuit breaker, a timeout, 5xx or 429 from HTTP or S3). Everything else
 * is permanent: 404, a refused URL, bad media, a missing stored key, a programming error.
 */
export function isTransientFault(error: unknown): boolean {
  if (error instanceof OutboundError) return error.transient;
  if (error instanceof CircuitOpenError || error instanceof CircuitTimeoutError) return true;
  const e = error as ErrorShape | undefined;
  if (!e || typeof e !== 'object') return false;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  if (e.$retryable) return true;
  if (e.code && TRANSIENT_SOCKET_CODES.has(e.code)) return true;
  // The S3 SDK can wrap a socket error and keep its code only in the message.
  const socketCode = e.message?.match(/\b(E[A-Z]{4,}|EAI_AGAIN)\b/)?.[1];
  if (socketCode && TRANSIENT_SOCKET_CODES.has(socketCode)) return true;
  return e.cause !== undefined && e.cause !== error && isTransientFault(e.cause);
}
