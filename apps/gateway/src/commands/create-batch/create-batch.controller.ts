import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { createBatchBody, OutputUrls, type BatchCreated } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { presentAcceptedJob } from '../../http/presenters';
import { parseBody } from '../../http/zod-body';
import { Idempotent } from '../../idempotency/idempotency.interceptor';
import { CreateBatchHandler } from './create-batch.handler';

@Controller('batches')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateBatchController {
  constructor(
    private readonly handler: CreateBatchHandler,
    @Inject(OutputUrls) private readonly urls: OutputUrls,
  ) {}

  /** Valid entries become jobs even when others are invalid; each invalid one is reported by index. */
  @Post()
  @Idempotent()
  @HttpCode(201)
  async create(@CurrentTenant() tenant: Tenant, @Body() body: unknown): Promise<BatchCreated> {
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
