import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { timeSuccess } from '@vrs/observability';
import {
  createBuiltinDriver,
  createNexrenderDriver,
  createResilientDriver,
  sharedDirectoryOutput,
  type RenderDriver,
  type ResilientRenderDriver,
} from '@vrs/render';
import type { RenderDrivers } from '../application/ports/render-drivers.port';
import type { RenderAdapterConfig } from '../config';
import { RENDER_ADAPTER_CONFIG } from '../tokens';
import { renderDuration } from './render-metrics';

/**
 * The renderers this deployment has, each behind a timeout, bounded retries and its own breaker,
 * and timed (vrs_render_duration_seconds): the built-in ffmpeg renderer always, the nexrender farm
 * when NEXRENDER_URL is set.
 */
@Injectable()
export class ResilientRenderDrivers implements RenderDrivers, OnApplicationShutdown {
  private readonly drivers = new Map<string, ResilientRenderDriver>();

  constructor(@Inject(RENDER_ADAPTER_CONFIG) config: RenderAdapterConfig) {
    const resilience = {
      timeoutMs: config.RENDER_TIMEOUT_MS,
      retries: config.RENDER_RETRIES,
      backoff: { initialMs: config.RENDER_RETRY_INITIAL_MS, maxMs: 30_000 },
    };
    this.drivers.set('builtin', createResilientDriver(createBuiltinDriver(), resilience));
    if (config.NEXRENDER_URL) {
      this.drivers.set(
        'nexrender',
        createResilientDriver(
          createNexrenderDriver({
            serverUrl: config.NEXRENDER_URL,
            secret: config.NEXRENDER_SECRET!,
            output: sharedDirectoryOutput(config.NEXRENDER_SHARED_DIR!),
            pollIntervalMs: config.NEXRENDER_POLL_INTERVAL_MS,
            jobTimeoutMs: config.RENDER_TIMEOUT_MS,
          }),
          resilience,
        ),
      );
    }
  }

  for(name: string): RenderDriver | undefined {
    const driver = this.drivers.get(name);
    return (
      driver && {
        name: driver.name,
        render: (request, ctx) =>
          timeSuccess(
            renderDuration,
            () => ({ driver: driver.name }),
            () => driver.render(request, ctx),
          ),
      }
    );
  }

  onApplicationShutdown(): void {
    for (const driver of this.drivers.values()) driver.breaker.shutdown();
  }
}
