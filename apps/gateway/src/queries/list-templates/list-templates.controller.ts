import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { parseBody } from '../../http/zod-body';
import { TemplateCatalogue } from '../../infrastructure/template-catalogue';
import { presentTemplate } from '../../commands/create-template/template-view';

const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class ListTemplatesController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  async list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>) {
    const { limit } = parseBody(listQuery, { ...query });
    const templates = await new TemplateCatalogue(this.dataSource.manager).list(tenant.id, limit);
    return { templates: templates.map((template) => presentTemplate(template, false)) };
  }
}
