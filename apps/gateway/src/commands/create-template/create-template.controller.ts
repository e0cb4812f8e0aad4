import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { CreateTemplateHandler } from './create-template.handler';
import { presentTemplate } from './template-view';
import { Idempotent } from '../../idempotency/idempotency.interceptor';

@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateTemplateController {
  constructor(private readonly handler: CreateTemplateHandler) {}

  @Post()
  @Idempotent()
  @HttpCode(201)
  async create(@CurrentTenant() tenant: Tenant, @Body() body: unknown) {
    return presentTemplate(await this.handler.handle(tenant.id, body), true);
  }
}
