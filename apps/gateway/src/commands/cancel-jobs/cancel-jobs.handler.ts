import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TERMINAL_STATUSES, TOPICS } from '@vrs/contracts';
import { enqueueEvent, OutboxRelay } from '@vrs/messaging';
import { JobViews } from '../../infrastructure/job-views';

export type CancelResult = 'cancel_requested' | 'not_found' | 'already_ended';

/** Asks the orchestrator to cancel jobs the tenant owns and that have not ended. */
@Injectable()
export class CancelJobsHandler {
  constructor(private readonly dataSource: DataSource, private readonly relay: OutboxRelay) {}

  async cancel(tenantId: string, ids: string[]): Promise<{ id: string; result: CancelResult; status?: string }[]> {
    const results = await this.dataSource.transaction(async (manager) => {
      const views = new JobViews(manager);
      const out: { id: string; result: CancelResult; status?: string }[] = [];
      for (const id of ids) {
        const job = await views.get(tenantId, id);
        if (!job) out.push({ id, result: 'not_found' });
        else if (TERMINAL_STATUSES.includes(job.status)) out.push({ id, result: 'already_ended', status: job.status });
        else {
          await enqueueEvent(manager, TOPICS.jobCancelRequested, id, { jobId: id, tenantId, reason: 'cancelled through the API' });
          out.push({ id, result: 'cancel_requested', status: job.status });
        }
      }
      return out;
    });
    this.relay.wake();
    return results;
  }
}
