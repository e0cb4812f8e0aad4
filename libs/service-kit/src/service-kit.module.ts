import { Global, Module } from '@nestjs/common';
import { HealthController, HealthState } from './health';
import { MetricsController } from './metrics.controller';

/** Health and metrics endpoints shared by every service. */
@Global()
@Module({ controllers: [HealthController, MetricsController], providers: [HealthState], exports: [HealthState] })
export class ServiceKitModule {}
