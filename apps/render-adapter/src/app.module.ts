import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONSUMER_GROUPS } from '@vrs/contracts';
import { CancelledJobTenants1796120000000, MessagingModule } from '@vrs/messaging';
import { dataSourceOptions, ServiceKitModule, workerProviders } from '@vrs/service-kit';
import { MEDIA_FETCH } from './application/ports/media-fetch.port';
import { RENDER_DRIVERS } from './application/ports/render-drivers.port';
import { TEMPLATE_REPLICA } from './application/ports/template-replica.port';
import { RenderTemplateController } from './commands/render-template/render-template.controller';
import { RenderTemplateHandler } from './commands/render-template/render-template.handler';
import { TemplateFeed } from './commands/replicate-templates/template-feed';
import type { RenderAdapterConfig } from './config';
import { CheckedMediaFetch } from './infrastructure/media-fetcher';
import { ResilientRenderDrivers } from './infrastructure/render-drivers';
import { SqlTemplateReplica } from './infrastructure/template-replica';
import { CreateRenderTables1764300000500 } from './migrations/1764300000500-create-render-tables';
import { RENDER_ADAPTER_CONFIG } from './tokens';

export const RENDER_ADAPTER_GROUP = CONSUMER_GROUPS.renderAdapter;

export function renderAdapterModule(config: RenderAdapterConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(
        dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: [CreateRenderTables1764300000500, CancelledJobTenants1796120000000] }),
      ),
      // Few handler retries: the render driver retries on its own, and a render is long.
      MessagingModule.forService({
        kafka: config.kafka,
        clientId: 'render-adapter',
        consumerGroup: RENDER_ADAPTER_GROUP,
        consumerCapacity: config.RENDER_CONCURRENCY,
        cancelledJobsTtlHours: config.CANCELLED_JOBS_TTL_HOURS,
        outboxLockKey: 7_300_501,
        retry: { attempts: 3, initialDelayMs: 500, maxDelayMs: 5_000 },
      }),
      ServiceKitModule,
    ],
    controllers: [RenderTemplateController],
    providers: [
      { provide: RENDER_ADAPTER_CONFIG, useValue: config },
      ...workerProviders(config.WORK_DIR),
      { provide: TEMPLATE_REPLICA, useClass: SqlTemplateReplica },
      { provide: RENDER_DRIVERS, useClass: ResilientRenderDrivers },
      { provide: MEDIA_FETCH, useClass: CheckedMediaFetch },
      RenderTemplateHandler,
      TemplateFeed,
    ],
  })
  class RenderAdapterModule {}
  return RenderAdapterModule;
}
