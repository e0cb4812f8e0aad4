import { webhookSpec, type WebhookSpec } from '../events/assets';
import { openSecret, sealSecret, SecretKeyError } from './upload-secret';

/** The whole webhook (URL with its query string, headers, data) sealed as one value for the notifier. */
export function sealWebhook(webhook: WebhookSpec, key: Buffer): string {
  return sealSecret(JSON.stringify(webhook), key);
}

/** The webhook sealed by `sealWebhook`. Throws SecretKeyError on a wrong key, tampering or a value that is no webhook. */
export function openWebhook(sealed: string, key: Buffer): WebhookSpec {
  const parsed = webhookSpec.safeParse(JSON.parse(openSecret(sealed, key)));
  if (!parsed.success) throw new SecretKeyError('The sealed webhook is not a webhook specification.');
  return parsed.data;
}
