import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { listJobsQuery } from '@vrs/contracts';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { parseQuery } from '../../http/zod-body';
import { JobViews } from '../../infrastructure/job-views';
import { OutputUrls } from '@vrs/contracts';
import { presentJob } from '@vrs/contracts';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class ListJobsController {
  constructor(private readonly dataSource: DataSource, @Inject(OutputUrls) private readonly urls: OutputUrls) {}

  @Get()
  async list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    const { states, limit, from, sort } = parseQuery(listJobsQuery, query);
    const jobs = await new JobViews(this.dataSource.manager).list({ tenantId: tenant.id, states, limit, from, sort });
    return { jobs: jobs.map((job) => presentJob(job, this.urls)) };
  }
}
