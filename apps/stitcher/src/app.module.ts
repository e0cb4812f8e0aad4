import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONSUMER_GROUPS } from '@vrs/contracts';
import { CpuSlots } from '@vrs/media';
import { CancelledJobTenants1796120000000, MessagingModule } from '@vrs/messaging';
import { dataSourceOptions, ServiceKitModule, transientRetry, workerProviders } from '@vrs/service-kit';
import { CLIP_SOURCE } from './application/ports/clip-source.port';
import { STITCH_ENGINE } from './application/ports/stitch-engine.port';
import { StitchClipsController } from './commands/stitch-clips/stitch-clips.controller';
import { StitchClipsHandler } from './commands/stitch-clips/stitch-clips.handler';
import type { StitcherConfig } from './config';
import { DownloadedClips } from './infrastructure/downloaded-clips';
import { MediaStitchEngine } from './infrastructure/media-stitch-engine';
import { CreateCancelledJobs1764300000300 } from './migrations/1764300000300-create-cancelled-jobs';
import { CPU_SLOTS, STITCHER_CONFIG } from './tokens';

export const STITCHER_GROUP = CONSUMER_GROUPS.stitcher;

export function stitcherModule(config: StitcherConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(
        dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: [CreateCancelledJobs1764300000300, CancelledJobTenants1796120000000] }),
      ),
      MessagingModule.forService({
        kafka: config.kafka,
        clientId: 'stitcher',
        consumerGroup: STITCHER_GROUP,
        consumerCapacity: config.STITCH_CONCURRENCY,
        cancelledJobsTtlHours: config.CANCELLED_JOBS_TTL_HOURS,
        outboxLockKey: 7_300_301,
        retry: { attempts: 3, initialDelayMs: 500, maxDelayMs: 5_000 },
      }),
      ServiceKitModule,
    ],
    controllers: [StitchClipsController],
    providers: [
      { provide: STITCHER_CONFIG, useValue: config },
      { provide: CPU_SLOTS, useValue: new CpuSlots(config.NORMALISE_CONCURRENCY) },
      // Storage restarting must not lose a finished stitch: the store is retried like a clip fetch.
      ...workerProviders(config.WORK_DIR, transientRetry(config)),
      { provide: CLIP_SOURCE, useClass: DownloadedClips },
      { provide: STITCH_ENGINE, useClass: MediaStitchEngine },
      StitchClipsHandler,
    ],
  })
  class StitcherModule {}
  return StitcherModule;
}
