import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { batchStatus, JobViews } from '../../infrastructure/job-views';

@Controller('batches')
@UseGuards(TenantGuard, RateLimitGuard)
export class GetBatchController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id')
  async get(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    const stats = await new JobViews(this.dataSource.manager).batchStats(tenant.id, id);
    if (!stats) throw ApiError.notFound(`Batch ${id}`);
    return { id, status: batchStatus(stats), stats };
  }
}
