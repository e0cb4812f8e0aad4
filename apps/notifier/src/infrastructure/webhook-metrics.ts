import type { CircuitBreakers } from '@vrs/net';
import { counter, SampledGauge } from '@vrs/observability';

export const webhookAttempts = counter({
  name: 'vrs_webhook_attempts_total',
  help: 'Webhook delivery attempts by outcome: delivered, retrying (failed, tried again later), failed (for good), or circuit_open (not sent: the host\'s circuit was open).',
  labelNames: ['outcome'] as const,
});

export const webhookCircuits = new SampledGauge({
  name: 'vrs_webhook_circuits',
  help: 'Receiving hosts whose circuit breaker is in each state (closed, open, half-open).',
  labelNames: ['state'] as const,
});

/** Binds the circuit gauge to the dispatcher's breakers. */
export function watchCircuits(breakers: CircuitBreakers): void {
  webhookCircuits.sampleWith(async () => Object.entries(breakers.countByState()).map(([state, hosts]) => ({ labels: { state }, value: hosts })));
}
