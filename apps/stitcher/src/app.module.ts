import { Module } from '@nestjs/common';
import { CONSUMER_GROUPS } from '@vrs/contracts';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CancellationWatcher, CancelledJobTenants1796120000000, MessagingModule, RunningJobs } from '@vrs/messaging';
import { outboundPolicyFromEnv } from '@vrs/net';
import { createOutputStorage } from '@vrs/storage';
import { dataSourceOptions, ServiceKitModule, workDirsProvider, CancellableWork } from '@vrs/service-kit';
import type { StitcherConfig } from './config';
import { CreateCancelledJobs1764300000300 } from './migrations/1764300000300-create-cancelled-jobs';
import { CpuSlots } from '@vrs/media';
import { CPU_SLOTS, OUTBOUND_POLICY, OUTPUT_STORAGE, STITCHER_CONFIG } from './tokens';
import { StitchClipsController } from './commands/stitch-clips/stitch-clips.controller';
import { StitchClipsHandler } from './commands/stitch-clips/stitch-clips.handler';

export const STITCHER_GROUP = CONSUMER_GROUPS.stitcher;

export function stitcherModule(config: StitcherConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: [CreateCancelledJobs1764300000300, CancelledJobTenants1796120000000] })),
      MessagingModule.forService({ kafka: config.kafka, clientId: 'stitcher', consumerGroup: STITCHER_GROUP, consumerCapacity: config.STITCH_CONCURRENCY, outboxLockKey: 7_300_301, retry: { attempts: 3, initialDelayMs: 500, maxDelayMs: 5_000 } }),
      ServiceKitModule,
    ],
    controllers: [StitchClipsController],
    providers: [
      { provide: STITCHER_CONFIG, useValue: config },
      { provide: OUTPUT_STORAGE, useFactory: () => createOutputStorage() },
      { provide: OUTBOUND_POLICY, useValue: outboundPolicyFromEnv() },
      { provide: CPU_SLOTS, useValue: new CpuSlots(config.NORMALISE_CONCURRENCY) },
      RunningJobs,
      workDirsProvider(config.WORK_DIR),
      CancellableWork,
      StitchClipsHandler,
      CancellationWatcher,
    ],
  })
  class StitcherModule {}
  return StitcherModule;
}
