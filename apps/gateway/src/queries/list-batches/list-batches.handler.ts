import { Inject, Injectable } from '@nestjs/common';
import { batchStatus, type BatchList } from '@vrs/contracts';
import { JOB_VIEWS, type JobViews } from '../../application/ports/job-views.port';

@Injectable()
export class ListBatchesHandler {
  constructor(@Inject(JOB_VIEWS) private readonly views: JobViews) {}

  /** The tenant's batches, newest first, each shaped like `GET /batches/:id` plus `createdAt`. */
  async handle(tenantId: string, limit: number): Promise<BatchList> {
    const batches = await this.views.batches(tenantId, { limit });
    return { batches: batches.map((batch) => ({ id: batch.id, status: batchStatus(batch.stats), createdAt: batch.createdAt, stats: batch.stats })) };
  }
}
