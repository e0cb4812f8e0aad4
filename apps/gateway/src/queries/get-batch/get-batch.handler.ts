import { Inject, Injectable } from '@nestjs/common';
import { batchStatus, type BatchView } from '@vrs/contracts';
import { JOB_VIEWS, type JobViews } from '../../application/ports/job-views.port';
import { ApiError } from '../../http/api-error';

@Injectable()
export class GetBatchHandler {
  constructor(@Inject(JOB_VIEWS) private readonly views: JobViews) {}

  /** Another tenant's batch answers 404, exactly like an unknown id. */
  async handle(tenantId: string, id: string): Promise<BatchView> {
    const [batch] = await this.views.batches(tenantId, { batchId: id, limit: 1 });
    if (!batch) throw ApiError.notFound(`Batch ${id}`);
    return { id, status: batchStatus(batch.stats), stats: batch.stats };
  }
}
