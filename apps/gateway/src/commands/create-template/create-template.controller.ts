import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { TemplateView } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { presentTemplate } from '../../http/presenters';
import { Idempotent } from '../../idempotency/idempotency.interceptor';
import { CreateTemplateHandler } from './create-template.handler';

@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateTemplateController {
  constructor(private readonly handler: CreateTemplateHandler) {}

  @Post()
  @Idempotent()
  @HttpCode(201)
  async create(@CurrentTenant() tenant: Tenant, @Body() body: unknown): Promise<TemplateView> {
    return presentTemplate(await this.handler.handle(tenant.id, body), true);
  }
}
