import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { listTemplatesQuery, type TemplateList } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { presentTemplate } from '../../http/presenters';
import { parseQuery } from '../../http/zod-body';
import { ListTemplatesHandler } from './list-templates.handler';

@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class ListTemplatesController {
  constructor(private readonly handler: ListTemplatesHandler) {}

  @Get()
  async list(@CurrentTenant() tenant: Tenant, @Query() query: Record<string, unknown>): Promise<TemplateList> {
    const templates = await this.handler.handle(tenant.id, parseQuery(listTemplatesQuery, query).limit);
    return { templates: templates.map((template) => presentTemplate(template, false)) };
  }
}
