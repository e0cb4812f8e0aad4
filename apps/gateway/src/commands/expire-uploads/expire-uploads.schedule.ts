import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { logger } from '@vrs/observability';
import type { GatewayConfig } from '../../config';
import { GATEWAY_CONFIG } from '../../tokens';
import { ExpireUploadsHandler } from './expire-uploads.handler';

/** Runs the upload cleanup every UPLOAD_CLEANUP_INTERVAL_MS; one run at a time per gateway. */
@Injectable()
export class ExpireUploadsSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = logger('expire-uploads');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly handler: ExpireUploadsHandler,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.handler
        .run(new Date())
        .catch((error) => this.log.warn('upload cleanup failed; it runs again later', { error: (error as Error).message }))
        .finally(() => {
          this.running = undefined;
        });
    }, this.config.UPLOAD_CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
