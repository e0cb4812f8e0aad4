import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import type { BatchView } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { GetBatchHandler } from './get-batch.handler';

@Controller('batches')
@UseGuards(TenantGuard, RateLimitGuard)
export class GetBatchController {
  constructor(private readonly handler: GetBatchHandler) {}

  @Get(':id')
  get(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<BatchView> {
    return this.handler.handle(tenant.id, id);
  }
}
