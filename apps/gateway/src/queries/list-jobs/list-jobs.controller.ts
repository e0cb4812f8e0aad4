import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { listJobsQuery, OutputUrls, presentJob, type JobList } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { parseQuery } from '../../http/zod-body';
import { ListJobsHandler } from './list-jobs.handler';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class ListJobsController {
  constructor(
    private readonly handler: ListJobsHandler,
    @Inject(OutputUrls) private readonly urls: OutputUrls,
  ) {}

  @Get()
  async list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>): Promise<JobList> {
    const jobs = await this.handler.handle({ tenantId: tenant.id, ...parseQuery(listJobsQuery, query) });
    return { jobs: jobs.map((job) => presentJob(job, this.urls)) };
  }
}
