import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { createTenantBody, type TenantCreated } from '@vrs/contracts';
import { AdminGuard } from '../../auth/admin-guard';
import { parseBody } from '../../http/zod-body';
import { CreateTenantHandler } from './create-tenant.handler';

/** Operators create tenants with the ADMIN_TOKEN. */
@Controller('admin/tenants')
@UseGuards(AdminGuard)
export class CreateTenantController {
  constructor(private readonly handler: CreateTenantHandler) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<TenantCreated> {
    return this.handler.handle(parseBody(createTenantBody, body).name);
  }
}
