import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONSUMER_GROUPS, OutputUrls } from '@vrs/contracts';
import { MessagingModule } from '@vrs/messaging';
import { breakerConfigFromEnv, CircuitBreakers, isHostFailure, outboundPolicyFromEnv } from '@vrs/net';
import { dataSourceOptions, ServiceKitModule } from '@vrs/service-kit';
import { DELIVERIES, type Deliveries } from './application/ports/deliveries.port';
import { DELIVERY_DISPATCHER } from './application/ports/delivery-dispatcher.port';
import { WEBHOOK_SENDER } from './application/ports/webhook-sender.port';
import { DeliverWebhookHandler, DELIVERY_SETTINGS } from './commands/deliver-webhook/deliver-webhook.handler';
import { RedeliverWebhookController } from './commands/redeliver-webhook/redeliver-webhook.controller';
import { RedeliverWebhookHandler } from './commands/redeliver-webhook/redeliver-webhook.handler';
import { ScheduleWebhookController } from './commands/schedule-webhook/schedule-webhook.controller';
import { ScheduleWebhookHandler } from './commands/schedule-webhook/schedule-webhook.handler';
import type { NotifierConfig } from './config';
import { HttpWebhookSender } from './infrastructure/http-webhook-sender';
import { SqlDeliveries } from './infrastructure/sql-deliveries';
import { WebhookDispatcher } from './infrastructure/webhook-dispatcher';
import { CreateWebhookDeliveries1764300000400 } from './migrations/1764300000400-create-webhook-deliveries';
import { NOTIFIER_CONFIG } from './tokens';

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
      { provide: DELIVERIES, useClass: SqlDeliveries },
      {
        provide: WEBHOOK_SENDER,
        // Attempts bound their own time (WEBHOOK_TIMEOUT_MS); the breaker only counts failures per host.
        useFactory: () =>
          new HttpWebhookSender(
            outboundPolicyFromEnv(),
            new CircuitBreakers({ ...breakerConfigFromEnv(), timeout: false }, isHostFailure),
            config.WEBHOOK_TIMEOUT_MS,
          ),
      },
      {
        provide: DELIVERY_SETTINGS,
        useValue: {
          schedule: { initialBackoffMs: config.WEBHOOK_INITIAL_BACKOFF_MS, maxBackoffMs: config.WEBHOOK_MAX_BACKOFF_MS },
          signingMasterSecret: config.WEBHOOK_SIGNING_MASTER_SECRET,
        },
      },
      DeliverWebhookHandler,
      {
        provide: DELIVERY_DISPATCHER,
        inject: [DELIVERIES, DeliverWebhookHandler],
        useFactory: (deliveries: Deliveries, handler: DeliverWebhookHandler) =>
          new WebhookDispatcher(deliveries, handler, {
            timeoutMs: config.WEBHOOK_TIMEOUT_MS,
            concurrency: config.WEBHOOK_CONCURRENCY,
            pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
          }),
      },
      ScheduleWebhookHandler,
      RedeliverWebhookHandler,
    ],
  })
  class NotifierModule {}
  return NotifierModule;
}
