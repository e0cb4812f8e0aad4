import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { createBatchBody, OutputUrls } from '@vrs/contracts';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { parseBody } from '../../http/zod-body';
import { presentAcceptedJob } from '../../jobs/present-accepted-job';
import { CreateBatchHandler } from './create-batch.handler';
import { Idempotent } from '../../idempotency/idempotency.interceptor';

@Controller('batches')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateBatchController {
  constructor(private readonly handler: CreateBatchHandler, @Inject(OutputUrls) private readonly urls: OutputUrls) {}

  /** Valid entries become jobs even when others are invalid; each invalid one is reported by index. */
  @Post()
  @Idempotent()
  @HttpCode(201)
  async create(@CurrentTenant() tenant: Tenant, @Body() body: unknown) {
    const { jobs } = parseBody(createBatchBody, body);
    const { batchId, accepted, errors } = await this.handler.handle(tenant, jobs);
    return {
      batchId,
      status: errors.length === 0 ? 'created' : accepted.length === 0 ? 'error' : 'partial',
      totalJobs: jobs.length,
      successCount: accepted.length,
      jobs: accepted.map(({ index, prepared }) => ({ index, ...presentAcceptedJob(prepared.job, this.urls) })),
      ...(errors.length ? { errors } : {}),
    };
  }
}
