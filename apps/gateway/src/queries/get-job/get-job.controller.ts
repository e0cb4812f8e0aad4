import { Controller, Get, Header, Inject, Param, UseGuards } from '@nestjs/common';
import { OutputUrls, presentJob, type JobView } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { GetJobHandler } from './get-job.handler';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class GetJobController {
  constructor(
    private readonly handler: GetJobHandler,
    @Inject(OutputUrls) private readonly urls: OutputUrls,
  ) {}

  @Get(':id')
  async get(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<JobView> {
    return presentJob(await this.handler.job(tenant.id, id), this.urls);
  }

  @Get(':id/logs')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  logs(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<string> {
    return this.handler.log(tenant.id, id);
  }
}
