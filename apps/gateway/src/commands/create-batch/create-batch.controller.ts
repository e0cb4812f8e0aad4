import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { OutputUrls } from '@vrs/contracts';
import { CurrentTenant, TenantGuard } from '../../auth/tenant-guard';
import { RateLimitGuard } from '../../auth/rate-limit.guard';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { parseBody } from '../../http/zod-body';
import { JobIntake } from '../../jobs/job-intake';
import { presentAcceptedJob } from '../../jobs/present-accepted-job';

const batchBody = z.strictObject({ jobs: z.array(z.unknown()).min(1, 'needs at least one job').max(1000, 'at most 1000 jobs') });

/** A body with a `template` is a render job; any other is a join job. */
const isRenderJob = (body: unknown) => typeof body === 'object' && body !== null && 'template' in body;

@Controller('batches')
@UseGuards(TenantGuard, RateLimitGuard)
export class CreateBatchController {
  constructor(private readonly dataSource: DataSource, private readonly intake: JobIntake, @Inject(OutputUrls) private readonly urls: OutputUrls) {}

  /** Valid entries become jobs even when others are invalid; each invalid one is reported by index. */
  @Post()
  @HttpCode(201)
  async create(@CurrentTenant() tenant: Tenant, @Body() body: unknown) {
    const { jobs } = parseBody(batchBody, body);
    const batchId = randomUUID();
    await this.dataSource.query('INSERT INTO batches (id, tenant_id) VALUES ($1, $2)', [batchId, tenant.id]);
    const accepted: Array<ReturnType<typeof presentAcceptedJob> & { index: number }> = [];
    const errors: Array<{ index: number; error: string; errorCode: string; details?: unknown }> = [];
    for (const [index, job] of jobs.entries()) {
      try {
        const created = await (isRenderJob(job) ? this.intake.render(tenant, job, batchId) : this.intake.join(tenant, job, batchId));
        accepted.push({ index, ...presentAcceptedJob(created, this.urls) });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        errors.push({ index, error: error.error, errorCode: 'invalid_job', ...(error.details ? { details: error.details } : {}) });
      }
    }
    return {
      batchId,
      status: errors.length === 0 ? 'created' : accepted.length === 0 ? 'error' : 'partial',
      totalJobs: jobs.length,
      successCount: accepted.length,
      jobs: accepted,
      ...(errors.length ? { errors } : {}),
    };
  }
}
