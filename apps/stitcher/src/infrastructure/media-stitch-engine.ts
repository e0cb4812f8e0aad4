import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { stitchClips, warmUpCopyJoin, type CpuSlots, type StitchReport } from '@vrs/media';
import { timeSuccess } from '@vrs/observability';
import type { StitchEngine } from '../application/ports/stitch-engine.port';
import type { StitcherConfig } from '../config';
import { CPU_SLOTS, STITCHER_CONFIG } from '../tokens';
import { stitchDuration } from './stitch-metrics';

/**
 * libs/media's stitching within the configured output size and the instance's CPU slots, timed by join
 * method. The copy join's helper processes start with the service, so even its first join waits for none.
 */
@Injectable()
export class MediaStitchEngine implements StitchEngine, OnApplicationBootstrap {
  constructor(
    @Inject(STITCHER_CONFIG) private readonly config: StitcherConfig,
    @Inject(CPU_SLOTS) private readonly cpuSlots: CpuSlots,
  ) {}

  onApplicationBootstrap(): void {
    warmUpCopyJoin();
  }

  stitch(options: Parameters<StitchEngine['stitch']>[0]): Promise<StitchReport> {
    return timeSuccess(
      stitchDuration,
      (done) => ({ method: done.method }),
      () =>
        stitchClips({
          ...options,
          target: { maxWidth: this.config.OUTPUT_MAX_WIDTH, maxHeight: this.config.OUTPUT_MAX_HEIGHT },
          concurrency: this.config.NORMALISE_CONCURRENCY,
          cpuSlots: this.cpuSlots,
        }),
    );
  }
}
