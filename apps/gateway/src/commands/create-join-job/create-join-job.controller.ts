import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { OutputUrls, type AcceptedJobView } from '@vrs/contracts';
import { JobIntake } from '../../application/job-intake';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { presentAcceptedJob } from '../../http/presenters';
import { Idempotent } from '../../idempotency/idempotency.interceptor';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateJoinJobController {
  constructor(
    private readonly intake: JobIntake,
    @Inject(OutputUrls) private readonly urls: OutputUrls,
  ) {}

  @Post('join')
  @Idempotent()
  @HttpCode(201)
  async create(@CurrentTenant() tenant: Tenant, @Body() body: unknown): Promise<AcceptedJobView> {
    return presentAcceptedJob(await this.intake.join(tenant, body), this.urls);
  }
}
