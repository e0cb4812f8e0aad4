import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONSUMER_GROUPS, OutputUrls } from '@vrs/contracts';
import { MessagingModule } from '@vrs/messaging';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import { JobRequestChecks } from './application/job-request-checks';
import { DEADLINE_METRICS } from './application/ports/deadline-metrics.port';
import { JOB_FLOWS } from './application/ports/job-flows.port';
import { TENANT_REPLICA, type TenantReplica } from './application/ports/tenant-replica.port';
import { AcceptJoinRequestController } from './commands/accept-join-request/accept-join-request.controller';
import { AcceptJoinRequestHandler } from './commands/accept-join-request/accept-join-request.handler';
import { AcceptRenderJobController } from './commands/accept-render-job/accept-render-job.controller';
import { AcceptRenderJobHandler } from './commands/accept-render-job/accept-render-job.handler';
import { CancelJobController } from './commands/cancel-job/cancel-job.controller';
import { CancelJobHandler } from './commands/cancel-job/cancel-job.handler';
import { ReconcileDeadlinesHandler } from './commands/reconcile-deadlines/reconcile-deadlines.handler';
import { ReconcileDeadlinesScheduler } from './commands/reconcile-deadlines/reconcile-deadlines.scheduler';
import { TenantFeed } from './commands/replicate-tenants/tenant-feed';
import { TrackRenderController } from './commands/track-render/track-render.controller';
import { TrackRenderHandler } from './commands/track-render/track-render.handler';
import { TrackStitchController } from './commands/track-stitch/track-stitch.controller';
import { TrackStitchHandler } from './commands/track-stitch/track-stitch.handler';
import { deadlineLimits, reconcilerSettings, type OrchestratorConfig } from './config';
import { CommittedDeadlineMetrics } from './infrastructure/deadline-metrics';
import { JobMetrics } from './infrastructure/job-metrics.provider';
import { JobEntity } from './infrastructure/job.entity';
import { SqlJobFlows } from './infrastructure/sql-job-flows';
import { SqlTenantReplica } from './infrastructure/sql-tenant-replica';
import { statusEventKeys } from './infrastructure/status-event-keys';
import { CreateJobs1764300000100 } from './migrations/1764300000100-create-jobs';
import { AddJobChildren1764300000110 } from './migrations/1764300000110-add-job-children';
import { CreateTenantReplica1796110425082 } from './migrations/1796110425082-create-tenant-replica';
import { AddActiveJobsIndex1796110680104 } from './migrations/1796110680104-add-active-jobs-index';
import { AddJobDeadlines1796110683983 } from './migrations/1796110683983-add-job-deadlines';
import { AddJobWarnings1796110710420 } from './migrations/1796110710420-add-job-warnings';
import { AddJobSettings1796122170000 } from './migrations/1796122170000-add-job-settings';
import { AddJoinResults1796122180000 } from './migrations/1796122180000-add-join-results';
import { DEADLINE_LIMITS, RECONCILER_SETTINGS } from './tokens';

export const ORCHESTRATOR_GROUP = CONSUMER_GROUPS.orchestrator;
export const ORCHESTRATOR_MIGRATIONS = [
  CreateJobs1764300000100,
  AddJobChildren1764300000110,
  CreateTenantReplica1796110425082,
  AddActiveJobsIndex1796110680104,
  AddJobDeadlines1796110683983,
  AddJobWarnings1796110710420,
  AddJobSettings1796122170000,
  AddJoinResults1796122180000,
];
export const orchestratorDatabase = (url: string) => dataSourceOptions({ url, entities: [JobEntity], migrations: ORCHESTRATOR_MIGRATIONS });

export function orchestratorModule(config: OrchestratorConfig) {
  statusEventKeys(); // read at start: a bad signing or sealing key stops the service before it consumes
  @Module({
    imports: [
      TypeOrmModule.forRoot(orchestratorDatabase(config.DATABASE_URL)),
      MessagingModule.forService({
        kafka: config.kafka,
        clientId: 'job-orchestrator',
        consumerGroup: ORCHESTRATOR_GROUP,
        consumerCapacity: config.CONSUMER_CONCURRENCY,
        outboxLockKey: 7_300_101,
      }),
      ServiceKitModule,
    ],
    controllers: [AcceptJoinRequestController, TrackStitchController, CancelJobController, AcceptRenderJobController, TrackRenderController],
    providers: [
      AcceptJoinRequestHandler,
      TrackStitchHandler,
      CancelJobHandler,
      AcceptRenderJobHandler,
      TrackRenderHandler,
      TenantFeed,
      JobMetrics,
      ReconcileDeadlinesHandler,
      ReconcileDeadlinesScheduler,
      { provide: DEADLINE_METRICS, useClass: CommittedDeadlineMetrics },
      { provide: JOB_FLOWS, useClass: SqlJobFlows },
      { provide: TENANT_REPLICA, useClass: SqlTenantReplica },
      // Rendered clips reach the stitcher and renderer as the gateway's signed output URLs.
      { provide: OutputUrls, useValue: new OutputUrls(config.PUBLIC_BASE_URL, config.OUTPUT_URL_SECRET) },
      { provide: JobRequestChecks, inject: [TENANT_REPLICA], useFactory: (replica: TenantReplica) => new JobRequestChecks(replica, config.TENANT_WAIT_MS) },
      { provide: DEADLINE_LIMITS, useValue: deadlineLimits(config) },
      { provide: RECONCILER_SETTINGS, useValue: reconcilerSettings(config) },
    ],
  })
  class OrchestratorModule {}
  return OrchestratorModule;
}
