import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { TemplateCatalogue } from '../../infrastructure/template-catalogue';
import { presentTemplate } from '../../commands/create-template/template-view';

@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class GetTemplateController {
  constructor(private readonly dataSource: DataSource) {}

  /** Another tenant's template answers 404, exactly like an unknown id. */
  @Get(':id')
  async get(@CurrentTenant() tenant: Tenant, @Param('id') id: string) {
    const template = await new TemplateCatalogue(this.dataSource.manager).get(tenant.id, id);
    if (!template) throw ApiError.notFound(`Template ${id}`);
    return presentTemplate(template, true);
  }
}
