import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONSUMER_GROUPS, OutputUrls } from '@vrs/contracts';
import { MessagingModule } from '@vrs/messaging';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import { createOutputStorage, OUTPUT_STORAGE } from '@vrs/storage';
import { JobIntake } from './application/job-intake';
import { IDEMPOTENCY_KEYS } from './application/ports/idempotency-keys.port';
import { JOB_VIEWS } from './application/ports/job-views.port';
import { TEMPLATES } from './application/ports/templates.port';
import { TENANTS } from './application/ports/tenants.port';
import { UPLOAD_RECORDS } from './application/ports/upload-records.port';
import { WEBHOOK_ATTEMPT_VIEWS } from './application/ports/webhook-attempt-views.port';
import { TemplateChecks } from './application/template-checks';
import { UploadSourceResolver } from './application/upload-source-resolver';
import { AdminGuard } from './auth/admin-guard';
import { AuthFailureGate } from './auth/auth-failure-gate';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { TenantGuard } from './auth/tenant-guard';
import { CancelJobsController } from './commands/cancel-jobs/cancel-jobs.controller';
import { CancelJobsHandler } from './commands/cancel-jobs/cancel-jobs.handler';
import { CreateBatchController } from './commands/create-batch/create-batch.controller';
import { CreateBatchHandler } from './commands/create-batch/create-batch.handler';
import { CreateJoinJobController } from './commands/create-join-job/create-join-job.controller';
import { CreateRenderJobController } from './commands/create-render-job/create-render-job.controller';
import { CreateTemplateController } from './commands/create-template/create-template.controller';
import { CreateTemplateHandler } from './commands/create-template/create-template.handler';
import { CreateTenantController } from './commands/create-tenant/create-tenant.controller';
import { CreateTenantHandler } from './commands/create-tenant/create-tenant.handler';
import { CreateUploadController } from './commands/create-upload/create-upload.controller';
import { CreateUploadHandler } from './commands/create-upload/create-upload.handler';
import { DeleteTemplateController } from './commands/delete-template/delete-template.controller';
import { DeleteTemplateHandler } from './commands/delete-template/delete-template.handler';
import { ExpireUploadsHandler } from './commands/expire-uploads/expire-uploads.handler';
import { ExpireUploadsSchedule } from './commands/expire-uploads/expire-uploads.schedule';
import { JobStatusFeed } from './commands/project-job-status/job-status-feed';
import { ProjectJobStatusHandler } from './commands/project-job-status/project-job-status.handler';
import { ProjectWebhookDeliveriesController } from './commands/project-webhook-deliveries/project-webhook-deliveries.controller';
import { ProjectWebhookDeliveriesHandler } from './commands/project-webhook-deliveries/project-webhook-deliveries.handler';
import { ReceiveUploadController } from './commands/receive-upload/receive-upload.controller';
import { ReceiveUploadHandler } from './commands/receive-upload/receive-upload.handler';
import { RedeliverWebhookController } from './commands/redeliver-webhook/redeliver-webhook.controller';
import { RedeliverWebhookHandler } from './commands/redeliver-webhook/redeliver-webhook.handler';
import { RepublishTenants } from './commands/replicate-tenants/republish-tenants';
import type { GatewayConfig } from './config';
import { UploadUrls } from './domain/upload-urls';
import { ErrorFilter } from './http/error-filter';
import { ExpiredKeyCleanup } from './idempotency/expired-key-cleanup';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { SqlIdempotencyKeys } from './infrastructure/sql-idempotency-keys';
import { SqlJobViews } from './infrastructure/sql-job-views';
import { SqlTemplates } from './infrastructure/sql-templates';
import { SqlTenants } from './infrastructure/sql-tenants';
import { SqlUploadRecords } from './infrastructure/sql-upload-records';
import { SqlWebhookAttemptViews } from './infrastructure/sql-webhook-attempt-views';
import { TenantTokens } from './infrastructure/tenant-tokens';
import { GATEWAY_MIGRATIONS } from './migrations';
import { GetBatchController } from './queries/get-batch/get-batch.controller';
import { GetBatchHandler } from './queries/get-batch/get-batch.handler';
import { GetJobController } from './queries/get-job/get-job.controller';
import { GetJobHandler } from './queries/get-job/get-job.handler';
import { GetTemplateController } from './queries/get-template/get-template.controller';
import { GetTemplateHandler } from './queries/get-template/get-template.handler';
import { GetWebhookDeliveriesController } from './queries/get-webhook-deliveries/get-webhook-deliveries.controller';
import { GetWebhookDeliveriesHandler } from './queries/get-webhook-deliveries/get-webhook-deliveries.handler';
import { ListBatchesController } from './queries/list-batches/list-batches.controller';
import { ListBatchesHandler } from './queries/list-batches/list-batches.handler';
import { ListJobsController } from './queries/list-jobs/list-jobs.controller';
import { ListJobsHandler } from './queries/list-jobs/list-jobs.handler';
import { ListTemplatesController } from './queries/list-templates/list-templates.controller';
import { ListTemplatesHandler } from './queries/list-templates/list-templates.handler';
import { ServeOutputController } from './queries/serve-output/serve-output.controller';
import { ServeUploadController } from './queries/serve-upload/serve-upload.controller';
import { ServeUploadHandler } from './queries/serve-upload/serve-upload.handler';
import { GATEWAY_CONFIG } from './tokens';

export const GATEWAY_GROUP = CONSUMER_GROUPS.gateway;

/** The gateway's repositories (SQL adapters behind the application's ports). */
const repositories = [
  { provide: JOB_VIEWS, useClass: SqlJobViews },
  { provide: TEMPLATES, useClass: SqlTemplates },
  { provide: TENANTS, useClass: SqlTenants },
  { provide: UPLOAD_RECORDS, useClass: SqlUploadRecords },
  { provide: IDEMPOTENCY_KEYS, useClass: SqlIdempotencyKeys },
  { provide: WEBHOOK_ATTEMPT_VIEWS, useClass: SqlWebhookAttemptViews },
];

const handlers = [
  JobIntake,
  TemplateChecks,
  UploadSourceResolver,
  CancelJobsHandler,
  CreateBatchHandler,
  CreateTemplateHandler,
  CreateTenantHandler,
  CreateUploadHandler,
  DeleteTemplateHandler,
  ExpireUploadsHandler,
  ProjectJobStatusHandler,
  ProjectWebhookDeliveriesHandler,
  ReceiveUploadHandler,
  RedeliverWebhookHandler,
  GetBatchHandler,
  GetJobHandler,
  GetTemplateHandler,
  GetWebhookDeliveriesHandler,
  ListBatchesHandler,
  ListJobsHandler,
  ListTemplatesHandler,
  ServeUploadHandler,
];

export function gatewayModule(config: GatewayConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: GATEWAY_MIGRATIONS })),
      MessagingModule.forService({ kafka: config.kafka, clientId: 'gateway', consumerGroup: GATEWAY_GROUP, consumerCapacity: 3, outboxLockKey: 7_300_201 }),
      ServiceKitModule,
    ],
    controllers: [
      CreateJoinJobController,
      CancelJobsController,
      ListJobsController,
      GetJobController,
      ServeOutputController,
      CreateTenantController,
      CreateBatchController,
      ListBatchesController,
      GetBatchController,
      ProjectWebhookDeliveriesController,
      GetWebhookDeliveriesController,
      RedeliverWebhookController,
      CreateTemplateController,
      ListTemplatesController,
      GetTemplateController,
      DeleteTemplateController,
      CreateRenderJobController,
      CreateUploadController,
      ReceiveUploadController,
      ServeUploadController,
    ],
    providers: [
      { provide: GATEWAY_CONFIG, useValue: config },
      { provide: OUTPUT_STORAGE, useFactory: () => createOutputStorage() },
      { provide: OutputUrls, useValue: new OutputUrls(config.publicBaseUrl, config.OUTPUT_URL_SECRET) },
      { provide: UploadUrls, useValue: new UploadUrls(config.publicBaseUrl, config.internalBaseUrl, config.OUTPUT_URL_SECRET) },
      { provide: APP_FILTER, useClass: ErrorFilter },
      ...repositories,
      ...handlers,
      TenantTokens,
      AuthFailureGate,
      TenantGuard,
      AdminGuard,
      RateLimitGuard,
      IdempotencyInterceptor,
      ExpiredKeyCleanup,
      RepublishTenants,
      JobStatusFeed,
      ExpireUploadsSchedule,
    ],
  })
  class GatewayModule {}
  return GatewayModule;
}
