import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { listBatchesQuery } from '@vrs/contracts';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { parseQuery } from '../../http/zod-body';
import { batchStatus, JobViews } from '../../infrastructure/job-views';

@Controller('batches')
@UseGuards(TenantGuard, RateLimitGuard)
export class ListBatchesController {
  constructor(private readonly dataSource: DataSource) {}

  /** The tenant's batches, newest first, each shaped like `GET /batches/:id` plus `createdAt`. */
  @Get()
  async list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    const { limit } = parseQuery(listBatchesQuery, query);
    const batches = await new JobViews(this.dataSource.manager).batches(tenant.id, { limit });
    return { batches: batches.map((batch) => ({ id: batch.id, status: batchStatus(batch.stats), createdAt: batch.createdAt, stats: batch.stats })) };
  }
}
