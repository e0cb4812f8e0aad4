import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule } from '@vrs/messaging';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import type { NotifierConfig } from './config';
import { RecordTerminalStatusController } from './commands/record-terminal-status/record-terminal-status.controller';

export const NOTIFIER_GROUP = 'notifier';

export function notifierModule(config: NotifierConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions({ url: config.DATABASE_URL, entities: [], migrations: [] })),
      MessagingModule.forService({ brokers: config.KAFKA_BROKERS, clientId: 'notifier', consumerGroup: NOTIFIER_GROUP, outboxLockKey: 7_300_401 }),
      ServiceKitModule,
    ],
    controllers: [RecordTerminalStatusController],
  })
  class NotifierModule {}
  return NotifierModule;
}
