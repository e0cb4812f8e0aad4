import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { logger } from '@vrs/observability';
import type { ReconcilerSettings } from '../../config';
import type { DeadlineLimits } from '../../domain/deadlines';
import { DEADLINE_LIMITS, RECONCILER_SETTINGS } from '../../tokens';
import { ReconcileDeadlinesHandler } from './reconcile-deadlines.handler';

/** Runs a reconcile pass every `JOB_RECONCILE_INTERVAL_MS`, one at a time; shutdown waits for the pass in flight. */
@Injectable()
export class ReconcileDeadlinesScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = logger('reconcile-deadlines');
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;

  constructor(
    private readonly handler: ReconcileDeadlinesHandler,
    @Inject(RECONCILER_SETTINGS) private readonly settings: ReconcilerSettings,
    @Inject(DEADLINE_LIMITS) private readonly limits: DeadlineLimits,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.timer.unref();
    // The limits in force here: each instance stores the deadlines of the jobs it saves, so all should agree.
    this.log.info('deadline reconciler started', { intervalMs: this.settings.intervalMs, limits: this.limits });
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  private tick(): void {
    if (this.pass) return;
    this.pass = this.handler
      .reconcile()
      .then(
        () => undefined,
        (error: Error) => this.log.warn('reconcile pass failed; the next one retries', { error: error.message }),
      )
      .finally(() => {
        this.pass = undefined;
      });
  }
}
