import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { listTemplatesQuery } from '@vrs/contracts';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { parseQuery } from '../../http/zod-body';
import { TemplateCatalogue } from '../../infrastructure/template-catalogue';
import { presentTemplate } from '../../commands/create-template/template-view';

@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class ListTemplatesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    const { limit } = parseQuery(listTemplatesQuery, query);
    const templates = await new TemplateCatalogue(this.dataSource.manager).list(tenant.id, limit);
    return { templates: templates.map((template) => presentTemplate(template, false)) };
  }
}
