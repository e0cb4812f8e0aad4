import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule } from '@vrs/messaging';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import type { RenderAdapterConfig } from './config';
import { RenderTemplateController } from './commands/render-template/render-template.controller';

export const RENDER_ADAPTER_GROUP = 'render-adapter';

export function renderAdapterModule(config: RenderAdapterConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: [] })),
      MessagingModule.forService({ brokers: config.KAFKA_BROKERS, clientId: 'render-adapter', consumerGroup: RENDER_ADAPTER_GROUP, outboxLockKey: 7_300_501 }),
      ServiceKitModule,
    ],
    controllers: [RenderTemplateController],
  })
  class RenderAdapterModule {}
  return RenderAdapterModule;
}
