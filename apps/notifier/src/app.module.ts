import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutputUrls, CONSUMER_GROUPS } from '@vrs/contracts';
import { MessagingModule, OutboxRelay } from '@vrs/messaging';
import { breakerConfigFromEnv, CircuitBreakers, isHostFailure, outboundPolicyFromEnv } from '@vrs/net';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import type { NotifierConfig } from './config';
import { NOTIFIER_CONFIG } from './tokens';
import { CreateWebhookDeliveries1764300000400 } from './migrations/1764300000400-create-webhook-deliveries';
import { ScheduleWebhookController } from './commands/schedule-webhook/schedule-webhook.controller';
import { ScheduleWebhookHandler } from './commands/schedule-webhook/schedule-webhook.handler';
import { RedeliverWebhookController } from './commands/redeliver-webhook/redeliver-webhook.controller';
import { RedeliverWebhookHandler } from './commands/redeliver-webhook/redeliver-webhook.handler';
import { WebhookDispatcher } from './commands/deliver-webhooks/webhook-dispatcher';

export const NOTIFIER_GROUP = CONSUMER_GROUPS.notifier;
export const notifierDatabase = (url: string) => dataSourceOptions({ url, entities: [], migrations: [CreateWebhookDeliveries1764300000400] });

export function notifierModule(config: NotifierConfig) {
  @Module({
    imports: [
      TypeOrmModule.forRoot(notifierDatabase(config.DATABASE_URL)),
      MessagingModule.forService({ kafka: config.kafka, clientId: 'notifier', consumerGroup: NOTIFIER_GROUP, consumerCapacity: 3, outboxLockKey: 7_300_401 }),
      ServiceKitModule,
    ],
    controllers: [ScheduleWebhookController, RedeliverWebhookController],
    providers: [
      { provide: NOTIFIER_CONFIG, useValue: config },
      { provide: OutputUrls, useValue: new OutputUrls(config.PUBLIC_BASE_URL.replace(/\/$/, ''), config.OUTPUT_URL_SECRET) },
      {
        provide: WebhookDispatcher,
        inject: [DataSource, OutboxRelay],
        useFactory: (dataSource: DataSource, relay: OutboxRelay) => new WebhookDispatcher(dataSource, {
          schedule: { initialBackoffMs: config.WEBHOOK_INITIAL_BACKOFF_MS, maxBackoffMs: config.WEBHOOK_MAX_BACKOFF_MS },
          timeoutMs: config.WEBHOOK_TIMEOUT_MS,
          concurrency: config.WEBHOOK_CONCURRENCY,
          pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
          signingMasterSecret: config.WEBHOOK_SIGNING_MASTER_SECRET,
          policy: outboundPolicyFromEnv(),
          // Attempts bound their own time (WEBHOOK_TIMEOUT_MS); the breaker only counts failures per host.
          breakers: new CircuitBreakers({ ...breakerConfigFromEnv(), timeout: false }, isHostFailure),
        }, () => relay.wake()),
      },
      ScheduleWebhookHandler,
      RedeliverWebhookHandler,
    ],
  })
  class NotifierModule {}
  return NotifierModule;
}
