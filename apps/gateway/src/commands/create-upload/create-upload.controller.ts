import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { UploadCreated } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { Idempotent } from '../../idempotency/idempotency.interceptor';
import { CreateUploadHandler } from './create-upload.handler';

@Controller('uploads')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateUploadController {
  constructor(private readonly handler: CreateUploadHandler) {}

  @Post()
  @Idempotent()
  @HttpCode(201)
  create(@CurrentTenant() tenant: Tenant, @Body() body: unknown): Promise<UploadCreated> {
    return this.handler.handle(tenant, body, new Date());
  }
}
