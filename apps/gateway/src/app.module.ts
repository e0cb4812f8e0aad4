import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule } from '@vrs/messaging';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import { createOutputStorage } from '@vrs/storage';
import type { GatewayConfig } from './config';
import { GATEWAY_CONFIG, OUTPUT_STORAGE } from './tokens';
import { GATEWAY_MIGRATIONS } from './migrations';
import { ErrorFilter } from './http/error-filter';
import { Transactions } from './infrastructure/transactions';
import { TenantTokens } from './infrastructure/tenant-tokens';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { ExpiredKeyCleanup } from './idempotency/expired-key-cleanup';
import { CreateBatchHandler } from './commands/create-batch/create-batch.handler';
import { TenantGuard } from './auth/tenant-guard';
import { AuthFailureGate } from './auth/auth-failure-gate';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { OutputUrls, CONSUMER_GROUPS } from '@vrs/contracts';
import { CreateJoinJobController } from './commands/create-join-job/create-join-job.controller';
import { JobIntake } from './jobs/job-intake';
import { CreateBatchController } from './commands/create-batch/create-batch.controller';
import { GetBatchController } from './queries/get-batch/get-batch.controller';
import { ListBatchesController } from './queries/list-batches/list-batches.controller';
import { CancelJobsController } from './commands/cancel-jobs/cancel-jobs.controller';
import { CancelJobsHandler } from './commands/cancel-jobs/cancel-jobs.handler';
import { ProjectJobStatusController } from './commands/project-job-status/project-job-status.controller';
import { CreateTenantController } from './commands/create-tenant/create-tenant.controller';
import { GetJobController } from './queries/get-job/get-job.controller';
import { ListJobsController } from './queries/list-jobs/list-jobs.controller';
import { ServeOutputController } from './queries/serve-output/serve-output.controller';
import { ProjectWebhookDeliveriesController } from './commands/project-webhook-deliveries/project-webhook-deliveries.controller';
import { GetWebhookDeliveriesController } from './queries/get-webhook-deliveries/get-webhook-deliveries.controller';
import { RedeliverWebhookController } from './commands/redeliver-webhook/redeliver-webhook.controller';
import { RedeliverWebhookHandler } from './commands/redeliver-webhook/redeliver-webhook.handler';
import { CreateTemplateController } from './commands/create-template/create-template.controller';
import { CreateTemplateHandler } from './commands/create-template/create-template.handler';
import { DeleteTemplateController } from './commands/delete-template/delete-template.controller';
import { GetTemplateController } from './queries/get-template/get-template.controller';
import { ListTemplatesController } from './queries/list-templates/list-templates.controller';
import { CreateRenderJobController } from './commands/create-render-job/create-render-job.controller';
import { RepublishTenants } from './commands/replicate-tenants/republish-tenants';
import { UploadUrls } from './infrastructure/upload-urls';
import { UploadSourceResolver } from './jobs/upload-source-resolver';
import { CreateUploadController } from './commands/create-upload/create-upload.controller';
import { CreateUploadHandler } from './commands/create-upload/create-upload.handler';
import { ReceiveUploadController } from './commands/receive-upload/receive-upload.controller';
import { ReceiveUploadHandler } from './commands/receive-upload/receive-upload.handler';
import { ServeUploadController } from './queries/serve-upload/serve-upload.controller';
import { ExpireUploadsSchedule } from './commands/expire-uploads/expire-uploads.schedule';

export const GATEWAY_GROUP = CONSUMER_GROUPS.gateway;

export function gatewayModule(config: GatewayConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: GATEWAY_MIGRATIONS })),
      MessagingModule.forService({ kafka: config.kafka, clientId: 'gateway', consumerGroup: GATEWAY_GROUP, consumerCapacity: 3, outboxLockKey: 7_300_201 }),
      ServiceKitModule,
    ],
    controllers: [
      CreateJoinJobController, CancelJobsController, ListJobsController, GetJobController, ServeOutputController,
      CreateTenantController, ProjectJobStatusController, CreateBatchController, ListBatchesController, GetBatchController,
      ProjectWebhookDeliveriesController, GetWebhookDeliveriesController, RedeliverWebhookController,
      CreateTemplateController, ListTemplatesController, GetTemplateController, DeleteTemplateController, CreateRenderJobController,
      CreateUploadController, ReceiveUploadController, ServeUploadController,
    ],
    providers: [
      { provide: GATEWAY_CONFIG, useValue: config },
      { provide: OUTPUT_STORAGE, useFactory: () => createOutputStorage() },
      { provide: OutputUrls, useValue: new OutputUrls(config.publicBaseUrl, config.OUTPUT_URL_SECRET) },
      { provide: APP_FILTER, useClass: ErrorFilter },
      AuthFailureGate, TenantTokens, TenantGuard, RateLimitGuard, Transactions, JobIntake, CreateBatchHandler, CancelJobsHandler, RedeliverWebhookHandler,
      CreateTemplateHandler, IdempotencyInterceptor, ExpiredKeyCleanup, RepublishTenants,
      { provide: UploadUrls, useValue: new UploadUrls(config.publicBaseUrl, config.internalBaseUrl, config.OUTPUT_URL_SECRET) },
      UploadSourceResolver, CreateUploadHandler, ReceiveUploadHandler, ExpireUploadsSchedule,
    ],
  })
  class GatewayModule {}
  return GatewayModule;
}
