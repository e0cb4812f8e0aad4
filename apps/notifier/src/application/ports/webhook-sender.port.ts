import type { HttpResponseSummary } from '@vrs/net';
import type { WebhookMessage } from '../../domain/webhook-message';

/** Sends one attempt of a webhook over checked outbound HTTP, with a per-host circuit breaker. */
export interface WebhookSender {
  /** Throws an OutboundError when no answer came (refused URL, network fault, timeout, open circuit). */
  send(message: WebhookMessage): Promise<HttpResponseSummary>;
  /** How long an open circuit stays open: a delivery to its host is put off that long, unsent. */
  readonly openCircuitMs: number;
}

export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');
