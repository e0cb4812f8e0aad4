import { Controller, Delete, HttpCode, Param, UseGuards } from '@nestjs/common';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { DeleteTemplateHandler } from './delete-template.handler';

/** Jobs submitted after this answer 400 for the template; jobs already rendering may still fail naming it. */
@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class DeleteTemplateController {
  constructor(private readonly handler: DeleteTemplateHandler) {}

  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<void> {
    return this.handler.handle(tenant.id, id);
  }
}
