import { WEBHOOK_ATTEMPT_OUTCOMES } from '@vrs/contracts';
import type { CircuitBreakers } from '@vrs/net';
import { counter, SampledGauge } from '@vrs/observability';

/** An outcome of a recorded attempt, or a delivery put off unsent because its host's circuit was open. */
export type AttemptMetricOutcome = (typeof WEBHOOK_ATTEMPT_OUTCOMES)[number] | 'circuit_open';

export const webhookAttempts = counter({
  name: 'vrs_webhook_attempts_total',
  help: "Webhook delivery attempts by outcome: delivered, retrying (failed, tried again later), failed (for good), or circuit_open (not sent: the host's circuit was open).",
  labelNames: ['outcome'] as const,
});
// Every outcome's series exists from the start, so rate() and increase() see its first attempt.
for (const outcome of [...WEBHOOK_ATTEMPT_OUTCOMES, 'circuit_open'] satisfies AttemptMetricOutcome[]) webhookAttempts.inc({ outcome }, 0);

export const webhookCircuits = new SampledGauge({
  name: 'vrs_webhook_circuits',
  help: 'Receiving hosts whose circuit breaker is in each state (closed, open, half-open).',
  labelNames: ['state'] as const,
});

/** Binds the circuit gauge to the dispatcher's breakers. */
export function watchCircuits(breakers: CircuitBreakers): void {
  webhookCircuits.sampleWith(async () => Object.entries(breakers.countByState()).map(([state, hosts]) => ({ labels: { state }, value: hosts })));
}
