import { Controller, Delete, HttpCode, Param, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@vrs/messaging';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { TemplateCatalogue } from '../../infrastructure/template-catalogue';

/** Jobs submitted after this answer 400 for the template; jobs already rendering may still fail naming it. */
@Controller('templates')
@UseGuards(TenantGuard, RateLimitGuard)
export class DeleteTemplateController {
  constructor(private readonly dataSource: DataSource, private readonly relay: OutboxRelay) {}

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<void> {
    const deleted = await this.dataSource.transaction((manager) => new TemplateCatalogue(manager).delete(tenant.id, id));
    if (!deleted) throw ApiError.notFound(`Template ${id}`);
    this.relay.wake();
  }
}
