import { createHmac } from 'node:crypto';

/**
 * A tenant's webhook signing secret, derived from the deployment's master secret, so the gateway
 * (which shows it to the tenant) and the notifier (which signs) agree without passing it around.
 */
export function webhookSigningSecret(masterSecret: string, tenantId: string): string {
  return `whsec_${createHmac('sha256', masterSecret).update(`webhook-signing:${tenantId}`).digest('base64url')}`;
}
