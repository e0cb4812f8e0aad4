import { Controller, Get, Header, Inject, Param, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { JobViews } from '../../infrastructure/job-views';
import { OutputUrls } from '@vrs/contracts';
import { presentJob } from '@vrs/contracts';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class GetJobController {
  constructor(private readonly dataSource: DataSource, @Inject(OutputUrls) private readonly urls: OutputUrls) {}

  /** Another tenant's job answers 404, exactly like an unknown id. */
  @Get(':id')
  async get(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    const job = await new JobViews(this.dataSource.manager).get(tenant.id, id);
    if (!job) throw ApiError.notFound(`Job ${id}`);
    return presentJob(job, this.urls);
  }

  @Get(':id/logs')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  async logs(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    const views = new JobViews(this.dataSource.manager);
    if (!(await views.get(tenant.id, id))) throw ApiError.notFound(`Job ${id}`);
    const lines = await views.logLines(id);
    return lines.map((entry) => `${new Date(entry.at).toISOString()} ${entry.line}`).join('\n') + '\n';
  }
}
