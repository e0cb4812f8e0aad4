import { CircuitOpenError, describeUrl, OutboundError, type HttpResponseSummary } from '@vrs/net';

/** What one attempt came to: delivered, worth retrying, never going to work, or not tried (circuit open). */
export type AttemptVerdict =
  | { kind: 'delivered'; statusCode: number }
  | { kind: 'retry' | 'permanent'; statusCode: number | null; error: string }
  | { kind: 'circuit-open'; error: string };

/** 2xx delivers. Redirects are never followed (they could point inside our network), and 410 means "stop". */
export function judgeResponse(url: string, response: HttpResponseSummary): AttemptVerdict {
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: 'delivered', statusCode: status };
  if (status >= 300 && status < 400) {
    const location = typeof response.headers.location === 'string' ? ` to ${describeUrl(new URL(response.headers.location, url))}` : '';
    return {
      kind: 'permanent',
      statusCode: status,
      error: `The receiver answered ${status} with a redirect${location}; redirects are not followed, so give the final URL.`,
    };
  }
  if (status === 410) return { kind: 'permanent', statusCode: status, error: 'The receiver answered 410 Gone; no more attempts.' };
  return { kind: 'retry', statusCode: status, error: `The receiver answered ${status}${response.body ? `: ${response.body.slice(0, 200)}` : ''}.` };
}

/** A refused URL cannot succeed later; network faults and timeouts may. */
export function judgeFailure(error: unknown): AttemptVerdict {
  if (error instanceof OutboundError && error.cause instanceof CircuitOpenError) return { kind: 'circuit-open', error: error.message };
  if (error instanceof OutboundError) {
    const permanent = error.code === 'blocked_url' || error.code === 'bad_scheme';
    return { kind: permanent ? 'permanent' : 'retry', statusCode: null, error: error.message };
  }
  return { kind: 'retry', statusCode: null, error: `The attempt failed: ${(error as Error).message}` };
}
