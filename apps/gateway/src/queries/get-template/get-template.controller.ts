import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import type { TemplateView } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { presentTemplate } from '../../http/presenters';
import { GetTemplateHandler } from './get-template.handler';

@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class GetTemplateController {
  constructor(private readonly handler: GetTemplateHandler) {}

  @Get(':id')
  async get(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<TemplateView> {
    return presentTemplate(await this.handler.handle(tenant.id, id), true);
  }
}
