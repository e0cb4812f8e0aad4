import { createHmac } from 'node:crypto';
import { presentJob, type JobStatusChanged, type OutputUrls, type WebhookSpec } from '@vrs/contracts';

export interface WebhookMessage {
  url: string;
  method: string;
  /** The caller's own headers; ours (signature, id, content type) are added per attempt and win. */
  headers: Record<string, string>;
  /** Fixed when the job ends, so every attempt carries the same bytes. */
  body: string;
}

/** Headers a caller may not set: they describe the connection or the body we send, not the caller's data. */
const RESERVED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'content-type', 'x-webhook-id', 'x-webhook-signature']);

/** The webhook of a job that ended: the job as GET /jobs/:id shows it plus `data`, or only `data` when `custom`. */
export function webhookMessageFor(event: JobStatusChanged, webhook: WebhookSpec, urls: OutputUrls): WebhookMessage {
  const job = presentJob({ ...event, id: event.jobId }, urls);
  const payload = webhook.custom ? (webhook.data ?? {}) : { ...job, ...(webhook.data ? { data: webhook.data } : {}) };
  const headers = Object.fromEntries(Object.entries(webhook.headers ?? {}).filter(([name]) => !RESERVED.has(name.toLowerCase())));
  return { url: webhook.url, method: webhook.method ?? 'POST', headers, body: JSON.stringify(payload) };
}

/** `X-Webhook-Signature`: HMAC-SHA256 over "<t>.<body>" with the tenant's secret (see docs/webhooks.md). */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export function attemptHeaders(message: WebhookMessage, deliveryId: string, secret: string, at: Date): Record<string, string> {
  return {
    ...message.headers,
    'content-type': 'application/json',
    'user-agent': 'vrs-webhooks/1',
    'x-webhook-id': deliveryId,
    'x-webhook-signature': signatureHeader(secret, message.body, at),
  };
}
