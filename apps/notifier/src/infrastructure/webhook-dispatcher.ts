import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { WakeableSleep } from '@vrs/messaging';
import { logger, withLogContext } from '@vrs/observability';
import type { Deliveries, Delivery } from '../application/ports/deliveries.port';
import type { DeliveryDispatcher } from '../application/ports/delivery-dispatcher.port';
import type { DeliverWebhookHandler } from '../commands/deliver-webhook/deliver-webhook.handler';

export interface DispatcherSettings {
  /** Limit of one attempt: a claim's lease outlasts it. */
  timeoutMs: number;
  concurrency: number;
  pollIntervalMs: number;
}

/**
 * The poller: claims due deliveries (several instances share them through SKIP LOCKED and a lease)
 * and hands each to the attempt handler, up to `concurrency` at once; it looks at the schedule again
 * when a delivery is due, when woken, or after `pollIntervalMs` (other instances add work too).
 */
export class WebhookDispatcher implements DeliveryDispatcher, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = logger('webhook-dispatcher');
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pause = new WakeableSleep();
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly deliveries: Deliveries,
    private readonly handler: DeliverWebhookHandler,
    private readonly settings: DispatcherSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and waits for attempts in flight; unclaimed work stays due for the next instance. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Look at the schedule now (a delivery was just added or made due). */
  wake(): void {
    this.pause.wake();
  }

  private async run(): Promise<void> {
    const { concurrency, pollIntervalMs, timeoutMs } = this.settings;
    while (this.running) {
      let waitMs = pollIntervalMs;
      try {
        const free = concurrency - this.inFlight.size;
        // The lease outlasts one attempt, so only a dead instance's claims come back.
        for (const delivery of free > 0 ? await this.deliveries.claimDue(free, timeoutMs + 5_000) : []) this.track(delivery);
        const due = this.inFlight.size < concurrency ? await this.deliveries.nextDueAt() : null;
        if (due) waitMs = Math.max(10, Math.min(pollIntervalMs, due.getTime() - Date.now()));
      } catch (error) {
        this.log.warn('webhook schedule could not be read; will retry', { error: (error as Error).message });
      }
      await this.pause.sleep(waitMs);
    }
  }

  private track(delivery: Delivery): void {
    const attempt = withLogContext({ jobId: delivery.jobId, tenantId: delivery.tenantId }, () => this.handler.attempt(delivery))
      .catch((error) => this.log.error('webhook attempt not recorded; it runs again when its lease ends', { error: (error as Error).message }))
      .finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
    this.inFlight.add(attempt);
  }
}
