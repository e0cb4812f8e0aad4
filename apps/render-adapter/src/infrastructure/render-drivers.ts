import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createBuiltinDriver, createNexrenderDriver, createResilientDriver, sharedDirectoryOutput, type ResilientRenderDriver } from '@vrs/render';
import type { RenderAdapterConfig } from '../config';
import { RENDER_ADAPTER_CONFIG } from '../tokens';

/**
 * The renderers this deployment has, each behind a timeout, bounded retries and its own breaker:
 * the built-in ffmpeg renderer always, the nexrender farm when NEXRENDER_URL is set.
 */
@Injectable()
export class RenderDrivers implements OnApplicationShutdown {
  private readonly drivers = new Map<string, ResilientRenderDriver>();

  constructor(@Inject(RENDER_ADAPTER_CONFIG) config: RenderAdapterConfig) {
    const resilience = {
      timeoutMs: config.RENDER_TIMEOUT_MS,
      retries: config.RENDER_RETRIES,
      backoff: { initialMs: config.RENDER_RETRY_INITIAL_MS, maxMs: 30_000 },
    };
    this.drivers.set('builtin', createResilientDriver(createBuiltinDriver(), resilience));
    if (config.NEXRENDER_URL) {
      this.drivers.set('nexrender', createResilientDriver(createNexrenderDriver({
        serverUrl: config.NEXRENDER_URL,
        secret: config.NEXRENDER_SECRET!,
        output: sharedDirectoryOutput(config.NEXRENDER_SHARED_DIR!),
        pollIntervalMs: config.NEXRENDER_POLL_INTERVAL_MS,
        jobTimeoutMs: config.RENDER_TIMEOUT_MS,
      }), resilience));
    }
  }

  /** The driver a template names, or undefined when this deployment has none by that name. */
  for(name: string): ResilientRenderDriver | undefined {
    return this.drivers.get(name);
  }

  onApplicationShutdown(): void {
    for (const driver of this.drivers.values()) driver.breaker.shutdown();
  }
}
