import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { JobViews } from '../../infrastructure/job-views';
import { WebhookAttemptViews } from '../../infrastructure/webhook-attempt-views';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class GetWebhookDeliveriesController {
  constructor(private readonly dataSource: DataSource) {}

  /** The job's webhook delivery log: every attempt with its status code, timing and error. */
  @Get(':id/webhooks')
  async list(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    if (!(await new JobViews(this.dataSource.manager).get(tenant.id, id))) throw ApiError.notFound(`Job ${id}`);
    return { jobId: id, deliveries: await new WebhookAttemptViews(this.dataSource.manager).forJob(tenant.id, id) };
  }
}
