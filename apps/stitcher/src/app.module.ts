import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule } from '@vrs/messaging';
import { outboundPolicyFromEnv } from '@vrs/net';
import { createOutputStorage } from '@vrs/storage';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import type { StitcherConfig } from './config';
import { CreateCancelledJobs1764300000300 } from './migrations/1764300000300-create-cancelled-jobs';
import { OUTBOUND_POLICY, OUTPUT_STORAGE, STITCHER_CONFIG } from './tokens';
import { RunningStitches } from './infrastructure/running-stitches';
import { WorkDirs } from '@vrs/service-kit';
import { StitchClipsController } from './commands/stitch-clips/stitch-clips.controller';
import { StitchClipsHandler } from './commands/stitch-clips/stitch-clips.handler';
import { CancellationWatcher } from './commands/watch-cancellations/cancellation-watcher';

export const STITCHER_GROUP = 'stitcher';

export function stitcherModule(config: StitcherConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: [CreateCancelledJobs1764300000300] })),
      MessagingModule.forService({ brokers: config.KAFKA_BROKERS, clientId: 'stitcher', consumerGroup: STITCHER_GROUP, outboxLockKey: 7_300_301, retry: { attempts: 3, initialDelayMs: 500, maxDelayMs: 5_000 } }),
      ServiceKitModule,
    ],
    controllers: [StitchClipsController],
    providers: [
      { provide: STITCHER_CONFIG, useValue: config },
      { provide: OUTPUT_STORAGE, useFactory: () => createOutputStorage() },
      { provide: OUTBOUND_POLICY, useValue: outboundPolicyFromEnv() },
      RunningStitches,
      { provide: WorkDirs, useFactory: async () => { const dirs = new WorkDirs(config.WORK_DIR); await dirs.sweepDeadProcesses(); return dirs; } },
      StitchClipsHandler,
      CancellationWatcher,
    ],
  })
  class StitcherModule {}
  return StitcherModule;
}
