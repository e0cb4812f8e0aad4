import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import type { WebhookDeliveries } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { GetWebhookDeliveriesHandler } from './get-webhook-deliveries.handler';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class GetWebhookDeliveriesController {
  constructor(private readonly handler: GetWebhookDeliveriesHandler) {}

  @Get(':id/webhooks')
  list(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<WebhookDeliveries> {
    return this.handler.handle(tenant.id, id);
  }
}
