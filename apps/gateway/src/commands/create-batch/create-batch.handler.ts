import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { BATCH_ENTRY_ERROR_CODE, type BatchEntryError } from '@vrs/contracts';
import { TRANSACTIONS, type Transactions } from '@vrs/service-kit';
import { JobIntake, type PreparedJob } from '../../application/job-intake';
import { JOB_VIEWS, type JobViews } from '../../application/ports/job-views.port';
import type { Tenant } from '../../domain/tenant';
import { ApiError } from '../../http/api-error';

export interface CreatedBatch {
  batchId: string;
  accepted: Array<{ index: number; prepared: PreparedJob }>;
  errors: BatchEntryError[];
}

/** A body with a `template` is a render job; any other is a join job. */
const isRenderJob = (body: unknown) => typeof body === 'object' && body !== null && 'template' in body;

/**
 * Validates every entry first, then writes the batch, all its valid jobs and their request events
 * in one transaction with bulk INSERTs: the batch exists whole or not at all. Invalid entries are
 * reported by index and do not stop the valid ones.
 */
@Injectable()
export class CreateBatchHandler {
  constructor(
    private readonly intake: JobIntake,
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(JOB_VIEWS) private readonly views: JobViews,
  ) {}

  async handle(tenant: Tenant, entries: unknown[]): Promise<CreatedBatch> {
    const accepted: CreatedBatch['accepted'] = [];
    const errors: BatchEntryError[] = [];
    for (const [index, entry] of entries.entries()) {
      try {
        accepted.push({ index, prepared: await (isRenderJob(entry) ? this.intake.prepareRender(tenant, entry) : this.intake.prepareJoin(tenant, entry)) });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        errors.push({ index, error: error.error, errorCode: BATCH_ENTRY_ERROR_CODE, ...(error.details ? { details: error.details } : {}) });
      }
    }
    const batchId = randomUUID();
    const jobs = accepted.map((entry) => entry.prepared);
    await this.transactions.run(async () => {
      await this.views.insertBatch(batchId, tenant.id);
      await this.intake.record(tenant, jobs, batchId);
    });
    this.intake.accepted(tenant, jobs, batchId);
    return { batchId, accepted, errors };
  }
}
