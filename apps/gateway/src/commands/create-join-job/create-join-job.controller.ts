import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { OutputUrls } from '@vrs/contracts';
import { CreateJoinJobHandler } from './create-join-job.handler';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateJoinJobController {
  constructor(private readonly handler: CreateJoinJobHandler, @Inject(OutputUrls) private readonly urls: OutputUrls) {}

  @Post('join')
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
