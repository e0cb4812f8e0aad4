import { Module } from '@nestjs/common';
import { CONSUMER_GROUPS } from '@vrs/contracts';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CancellationWatcher, CancelledJobTenants1796120000000, MessagingModule, RunningJobs } from '@vrs/messaging';
import { outboundPolicyFromEnv } from '@vrs/net';
import { dataSourceOptions, ServiceKitModule, workDirsProvider, CancellableWork } from '@vrs/service-kit';
import { createOutputStorage } from '@vrs/storage';
import type { RenderAdapterConfig } from './config';
import { OUTBOUND_POLICY, OUTPUT_STORAGE, RENDER_ADAPTER_CONFIG } from './tokens';
import { CreateRenderTables1764300000500 } from './migrations/1764300000500-create-render-tables';
import { RenderDrivers } from './infrastructure/render-drivers';
import { RenderTemplateController } from './commands/render-template/render-template.controller';
import { RenderTemplateHandler } from './commands/render-template/render-template.handler';
import { TemplateFeed } from './commands/replicate-templates/template-feed';

export const RENDER_ADAPTER_GROUP = CONSUMER_GROUPS.renderAdapter;

export function renderAdapterModule(config: RenderAdapterConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: [CreateRenderTables1764300000500, CancelledJobTenants1796120000000] })),
      // Few handler retries: the render driver retries on its own, and a render is long.
      MessagingModule.forService({ kafka: config.kafka, clientId: 'render-adapter', consumerGroup: RENDER_ADAPTER_GROUP, consumerCapacity: config.RENDER_CONCURRENCY, outboxLockKey: 7_300_501, retry: { attempts: 3, initialDelayMs: 500, maxDelayMs: 5_000 } }),
      ServiceKitModule,
    ],
    controllers: [RenderTemplateController],
    providers: [
      { provide: RENDER_ADAPTER_CONFIG, useValue: config },
      { provide: OUTPUT_STORAGE, useFactory: () => createOutputStorage() },
      { provide: OUTBOUND_POLICY, useValue: outboundPolicyFromEnv() },
      RenderDrivers,
      RunningJobs,
      workDirsProvider(config.WORK_DIR),
      CancellableWork,
      RenderTemplateHandler,
      CancellationWatcher,
      TemplateFeed,
    ],
  })
  class RenderAdapterModule {}
  return RenderAdapterModule;
}
