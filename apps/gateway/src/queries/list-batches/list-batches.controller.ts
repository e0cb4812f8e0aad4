import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { listBatchesQuery, type BatchList } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { parseQuery } from '../../http/zod-body';
import { ListBatchesHandler } from './list-batches.handler';

@Controller('batches')
@UseGuards(TenantGuard, RateLimitGuard)
export class ListBatchesController {
  constructor(private readonly handler: ListBatchesHandler) {}

  @Get()
  list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>): Promise<BatchList> {
    return this.handler.handle(tenant.id, parseQuery(listBatchesQuery, query).limit);
  }
}
