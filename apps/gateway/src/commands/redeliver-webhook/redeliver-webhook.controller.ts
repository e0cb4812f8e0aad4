import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { RedeliverRequested } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { RedeliverWebhookHandler } from './redeliver-webhook.handler';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class RedeliverWebhookController {
  constructor(private readonly handler: RedeliverWebhookHandler) {}

  /** 202: the notifier sends the webhook again shortly, with the same X-Webhook-Id; watch GET /jobs/:id/webhooks. */
  @Post(':id/webhooks/redeliver')
  @HttpCode(202)
  async redeliver(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<RedeliverRequested> {
    await this.handler.handle(tenant.id, id);
    return { id, redeliverRequested: true };
  }
}
