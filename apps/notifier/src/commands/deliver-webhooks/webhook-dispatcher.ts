import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { TOPICS, webhookSigningSecret } from '@vrs/contracts';
import { enqueueEvent } from '@vrs/messaging';
import { describeUrl, request, type CircuitBreakers, type OutboundPolicy } from '@vrs/net';
import { logger, withLogContext } from '@vrs/observability';
import { judgeFailure, judgeResponse, type AttemptVerdict } from '../../domain/attempt-result';
import { nextAttemptAt, type RetrySchedule } from '../../domain/retry-schedule';
import { attemptHeaders } from '../../domain/webhook-message';
import { DeliveryStore, type AttemptRecord, type Delivery } from '../../infrastructure/delivery-store';
import { watchCircuits, webhookAttempts } from '../../infrastructure/webhook-metrics';

export interface DispatcherSettings {
  schedule: RetrySchedule;
  timeoutMs: number;
  concurrency: number;
  pollIntervalMs: number;
  signingMasterSecret: string;
  policy: OutboundPolicy;
  /** Per-host breakers: a host that keeps failing is skipped without slowing or costing the others. */
  breakers: CircuitBreakers;
}

/**
 * The scheduler: claims due deliveries (several instances share them through SKIP LOCKED and a lease),
 * attempts each, and records the attempt, the next due time and a webhook.attempted event in one transaction.
 */
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = logger('webhook-dispatcher');
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop?: Promise<void>;
  private woken = false;
  private wakeUp?: () => void;

  constructor(private readonly dataSource: DataSource, private readonly settings: DispatcherSettings, private readonly afterRecord: () => void = () => undefined) {}

  onApplicationBootstrap(): void {
    watchCircuits(this.settings.breakers);
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
    this.settings.breakers.shutdown();
  }

  /** Look at the schedule now (a delivery was just added or made due). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    const { concurrency, pollIntervalMs, timeoutMs } = this.settings;
    while (this.running) {
      let waitMs = pollIntervalMs;
      try {
        const free = concurrency - this.inFlight.size;
        const store = new DeliveryStore(this.dataSource.manager);
        // The lease outlasts one attempt, so only a dead instance's claims come back.
        for (const delivery of free > 0 ? await store.claimDue(free, timeoutMs + 5_000) : []) this.track(delivery);
        const due = this.inFlight.size < concurrency ? await store.nextDueAt() : null;
        if (due) waitMs = Math.max(10, Math.min(pollIntervalMs, due.getTime() - Date.now()));
      } catch (error) {
        this.log.warn('webhook schedule could not be read; will retry', { error: (error as Error).message });
      }
      await this.sleep(waitMs);
    }
  }

  private track(delivery: Delivery): void {
    const attempt = withLogContext({ jobId: delivery.jobId, tenantId: delivery.tenantId }, () => this.attempt(delivery))
      .catch((error) => this.log.error('webhook attempt not recorded; it runs again when its lease ends', { error: (error as Error).message }))
      .finally(() => {
        this.inFlight.delete(attempt);
        this.wake();
      });
    this.inFlight.add(attempt);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const { settings } = this;
    const attemptedAt = new Date();
    const started = performance.now();
    let verdict: AttemptVerdict;
    try {
      const secret = webhookSigningSecret(settings.signingMasterSecret, delivery.tenantId);
      const response = await request(delivery.url, {
        method: delivery.method,
        headers: attemptHeaders(delivery, delivery.id, secret, attemptedAt),
        body: delivery.body,
        timeoutMs: settings.timeoutMs,
        maxResponseBytes: 4096,
        policy: settings.policy,
        breakers: settings.breakers,
      });
      verdict = judgeResponse(delivery.url, response);
    } catch (error) {
      verdict = judgeFailure(error);
    }
    if (verdict.kind === 'circuit-open') {
      // Not an attempt: nothing was sent. Come back when the breaker lets a trial call through.
      await new DeliveryStore(this.dataSource.manager).postpone(delivery.id, new Date(Date.now() + settings.breakers.config.resetTimeout));
      webhookAttempts.inc({ outcome: 'circuit_open' });
      return;
    }
    const record = this.recordFor(delivery, verdict, attemptedAt, Math.round(performance.now() - started));
    const recorded = await this.dataSource.transaction(async (manager) => {
      if (!(await new DeliveryStore(manager).recordAttempt(delivery.id, record))) return false;
      await enqueueEvent(manager, TOPICS.webhookAttempted, delivery.jobId, {
        deliveryId: delivery.id, jobId: delivery.jobId, tenantId: delivery.tenantId, attempt: record.attempt,
        url: describeUrl(delivery.url), method: delivery.method, attemptedAt: attemptedAt.toISOString(),
        statusCode: record.statusCode, durationMs: record.durationMs, error: record.error, outcome: record.outcome,
        nextAttemptAt: record.nextAttemptAt?.toISOString() ?? null,
      });
      return true;
    });
    if (!recorded) return;
    webhookAttempts.inc({ outcome: record.outcome });
    this.afterRecord();
    const fields = { deliveryId: delivery.id, attempt: record.attempt, url: describeUrl(delivery.url), statusCode: record.statusCode, ms: record.durationMs };
    if (record.outcome === 'delivered') this.log.info('webhook delivered', fields);
    else this.log.warn(record.outcome === 'retrying' ? 'webhook attempt failed; will retry' : 'webhook delivery failed for good', { ...fields, error: record.error, nextAttemptAt: record.nextAttemptAt });
  }

  private recordFor(delivery: Delivery, verdict: Exclude<AttemptVerdict, { kind: 'circuit-open' }>, attemptedAt: Date, durationMs: number): AttemptRecord {
    const attempt = delivery.attempts + 1;
    const base = { attempt, attemptedAt, durationMs, statusCode: verdict.statusCode };
    if (verdict.kind === 'delivered') return { ...base, error: null, outcome: 'delivered', nextAttemptAt: null };
    const next = verdict.kind === 'retry' ? nextAttemptAt(attempt, new Date(), delivery.retryUntil, this.settings.schedule) : null;
    if (next) return { ...base, error: verdict.error, outcome: 'retrying', nextAttemptAt: next };
    const error = verdict.kind === 'retry' ? `${verdict.error} Gave up after ${attempt} attempts: the retry window ended.` : verdict.error;
    return { ...base, error, outcome: 'failed', nextAttemptAt: null };
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
