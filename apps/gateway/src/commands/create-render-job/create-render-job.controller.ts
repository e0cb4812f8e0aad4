import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { OutputUrls } from '@vrs/contracts';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { JobIntake } from '../../jobs/job-intake';
import { presentAcceptedJob } from '../../jobs/present-accepted-job';
import { Idempotent } from '../../idempotency/idempotency.interceptor';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateRenderJobController {
  constructor(private readonly intake: JobIntake, @Inject(OutputUrls) private readonly urls: OutputUrls) {}

  @Post()
  @Idempotent()
  @HttpCode(201)
  async create(@CurrentTenant() tenant: Tenant, @Body() body: unknown) {
    return presentAcceptedJob(await this.intake.render(tenant, body), this.urls);
  }
}
