import { Body, Controller, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { cancelJobsBody, type CancelRequested, type CancelResults } from '@vrs/contracts';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import type { Tenant } from '../../domain/tenant';
import { ApiError } from '../../http/api-error';
import { parseBody } from '../../http/zod-body';
import { Idempotent } from '../../idempotency/idempotency.interceptor';
import { CancelJobsHandler } from './cancel-jobs.handler';

@Controller('jobs')
@UseGuards(TenantGuard, RateLimitGuard)
export class CancelJobsController {
  constructor(private readonly handler: CancelJobsHandler) {}

  /** 202: the cancel is on its way; the job shows `manually_cancelled` once the orchestrator applied it. */
  @Patch(':id/cancel')
  @HttpCode(202)
  async cancelOne(@CurrentTenant() tenant: Tenant, @Param('id') id: string): Promise<CancelRequested> {
    const [outcome] = await this.handler.cancel(tenant.id, [id]);
    if (outcome.result === 'not_found') throw ApiError.notFound(`Job ${id}`);
    if (outcome.result === 'already_ended')
      throw ApiError.conflict(`Job ${id} has already ended (${outcome.status}); only queued, pending or rendering jobs can be cancelled.`);
    return { id, cancelRequested: true };
  }

  @Post('cancel')
  @Idempotent()
  @HttpCode(202)
  async cancelMany(@CurrentTenant() tenant: Tenant, @Body() body: unknown): Promise<CancelResults> {
    const { jobs } = parseBody(cancelJobsBody, body);
    return { jobs: await this.handler.cancel(tenant.id, [...new Set(jobs)]) };
  }
}
