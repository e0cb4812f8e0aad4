import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule } from '@vrs/messaging';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import type { OrchestratorConfig } from './config';
import { JobEntity } from './infrastructure/job.entity';
import { CreateJobs1764300000100 } from './migrations/1764300000100-create-jobs';
import { AcceptJoinRequestController } from './commands/accept-join-request/accept-join-request.controller';
import { AcceptJoinRequestHandler } from './commands/accept-join-request/accept-join-request.handler';
import { TrackStitchController } from './commands/track-stitch/track-stitch.controller';
import { TrackStitchHandler } from './commands/track-stitch/track-stitch.handler';
import { CancelJobController } from './commands/cancel-job/cancel-job.controller';
import { CancelJobHandler } from './commands/cancel-job/cancel-job.handler';

export const ORCHESTRATOR_GROUP = 'job-orchestrator';
export const orchestratorDatabase = (url: string) => dataSourceOptions({ url, entities: [JobEntity], migrations: [CreateJobs1764300000100] });

export function orchestratorModule(config: OrchestratorConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(orchestratorDatabase(config.DATABASE_URL)),
      MessagingModule.forService({ brokers: config.KAFKA_BROKERS, clientId: 'job-orchestrator', consumerGroup: ORCHESTRATOR_GROUP, outboxLockKey: 7_300_101 }),
      ServiceKitModule,
    ],
    controllers: [AcceptJoinRequestController, TrackStitchController, CancelJobController],
    providers: [AcceptJoinRequestHandler, TrackStitchHandler, CancelJobHandler],
  })
  class OrchestratorModule {}
  return OrchestratorModule;
}
