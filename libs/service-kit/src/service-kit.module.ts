import { Global, Module } from '@nestjs/common';
import { HealthController, HealthState } from './health';

/** Health endpoint shared by every service. */
@Global()
@Module({ controllers: [HealthController], providers: [HealthState], exports: [HealthState] })
export class ServiceKitModule {}
