import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { logger } from '@vrs/observability';
import { IDEMPOTENCY_KEYS, type IdempotencyKeys } from '../application/ports/idempotency-keys.port';

const EVERY_MS = 10 * 60_000;
const PER_ROUND = 5_000;

/**
 * Deletes expired idempotency keys every ten minutes (any instance may; they do not conflict).
 * Correctness does not depend on it: an expired key is taken over by the next request using it.
 */
@Injectable()
export class ExpiredKeyCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = logger('idempotency-cleanup');
  private timer?: NodeJS.Timeout;

  constructor(@Inject(IDEMPOTENCY_KEYS) private readonly keys: IdempotencyKeys) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    let total = 0;
    try {
      let deleted: number;
      do {
        deleted = await this.keys.deleteExpired(PER_ROUND);
        total += deleted;
      } while (deleted === PER_ROUND);
    } catch (error) {
      this.log.warn('deleting expired idempotency keys failed; will retry', { error: (error as Error).message });
    }
    return total;
  }
}
