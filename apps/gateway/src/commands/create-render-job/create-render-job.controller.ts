import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { OutputUrls } from '@vrs/contracts';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { CreateRenderJobHandler } from './create-render-job.handler';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateRenderJobController {
  constructor(private readonly handler: CreateRenderJobHandler, @Inject(OutputUrls) private readonly urls: OutputUrls) {}

  /** `pending` when nested jobs render first. */
  @Post()
  @HttpCode(201)
  async create(@CurrentTenant() tenant: Tenant, @Body() body: unknown) {
    const { id, outputKey, children } = await this.handler.handle(tenant, body);
    return {
      id,
      status: children.length > 0 ? 'pending' : 'queued',
      outputUrl: this.urls.urlFor(outputKey),
      children: children.map((child) => ({ id: child.id, status: 'queued', outputUrl: this.urls.urlFor(child.outputKey) })),
    };
  }
}
