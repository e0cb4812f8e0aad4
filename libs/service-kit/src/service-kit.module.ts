import { Global, Module } from '@nestjs/common';
import { HealthController, HealthState } from './health';
import { MetricsController } from './metrics.controller';
import { EVENT_OUTBOX } from './transactions/event-outbox.port';
import { OutboxEvents } from './transactions/outbox-events';
import { TransactionScope } from './transactions/transaction-scope';
import { TRANSACTIONS } from './transactions/transactions.port';

/** Health and metrics endpoints shared by every service, and the unit of work and outbox its use cases get as ports. */
@Global()
@Module({
  controllers: [HealthController, MetricsController],
  providers: [
    HealthState,
    TransactionScope,
    OutboxEvents,
    { provide: TRANSACTIONS, useExisting: TransactionScope },
    { provide: EVENT_OUTBOX, useExisting: OutboxEvents },
  ],
  exports: [HealthState, TransactionScope, TRANSACTIONS, EVENT_OUTBOX],
})
export class ServiceKitModule {}
