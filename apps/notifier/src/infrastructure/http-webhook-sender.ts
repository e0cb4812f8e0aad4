import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { request, type CircuitBreakers, type HttpResponseSummary, type OutboundPolicy } from '@vrs/net';
import type { WebhookSender } from '../application/ports/webhook-sender.port';
import type { WebhookMessage } from '../domain/webhook-message';
import { watchCircuits } from './webhook-metrics';

/** Webhooks over libs/net: checked addresses, the attempt's time limit, a breaker per receiving host. */
export class HttpWebhookSender implements WebhookSender, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly policy: OutboundPolicy,
    private readonly breakers: CircuitBreakers,
    private readonly timeoutMs: number,
  ) {}

  get openCircuitMs(): number {
    return this.breakers.config.resetTimeout;
  }

  send(message: WebhookMessage): Promise<HttpResponseSummary> {
    return request(message.url, {
      method: message.method,
      headers: message.headers,
      body: message.body,
      timeoutMs: this.timeoutMs,
      maxResponseBytes: 4096,
      policy: this.policy,
      breakers: this.breakers,
    });
  }

  onApplicationBootstrap(): void {
    watchCircuits(this.breakers);
  }

  onApplicationShutdown(): void {
    this.breakers.shutdown();
  }
}
