import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { Idempotent } from '../../idempotency/idempotency.interceptor';
import { CreateUploadHandler } from './create-upload.handler';

@Controller('uploads')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateUploadController {
  constructor(private readonly handler: CreateUploadHandler) {}

  @Post()
  @Idempotent()
  @HttpCode(201)
  create(@CurrentTenant() tenant: Tenant, @Body() body: unknown) {
    return this.handler.handle(tenant, body, new Date());
  }
}
