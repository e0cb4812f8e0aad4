import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { JOB_STATUSES } from '@vrs/contracts';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { parseBody } from '../../http/zod-body';
import { JobViews } from '../../infrastructure/job-views';
import { OutputUrls } from '@vrs/contracts';
import { presentJob } from '@vrs/contracts';

const listQuery = z.strictObject({
  states: z.string().optional().transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined))
    .pipe(z.array(z.enum(JOB_STATUSES)).optional()),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  from: z.string().datetime({ offset: true }).optional(),
  sort: z.enum(['asc', 'desc']).default('desc'),
});

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class ListJobsController {
  constructor(private readonly dataSource: DataSource, @Inject(OutputUrls) private readonly urls: OutputUrls) {}

  @Get()
  async list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    const { states, limit, from, sort } = parseBody(listQuery, { ...query });
    const jobs = await new JobViews(this.dataSource.manager).list({ tenantId: tenant.id, states, limit, from, sort });
    return { jobs: jobs.map((job) => presentJob(job, this.urls)) };
  }
}
