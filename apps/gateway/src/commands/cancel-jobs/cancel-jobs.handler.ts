import { Injectable } from '@nestjs/common';
import { TERMINAL_STATUSES, TOPICS } from '@vrs/contracts';
import { enqueueEvents, OutboxRelay } from '@vrs/messaging';
import { JobViews } from '../../infrastructure/job-views';
import { Transactions } from '../../infrastructure/transactions';

export type CancelResult = 'cancel_requested' | 'not_found' | 'already_ended';

/** Asks the orchestrator to cancel jobs the tenant owns and that have not ended: one read, one bulk INSERT. */
@Injectable()
export class CancelJobsHandler {
  constructor(private readonly transactions: Transactions, private readonly relay: OutboxRelay) {}

  async cancel(tenantId: string, ids: string[]): Promise<{ id: string; result: CancelResult; status?: string }[]> {
    const results = await this.transactions.run(async (manager) => {
      const statuses = await new JobViews(manager).statuses(tenantId, ids);
      const out = ids.map((id) => {
        const status = statuses.get(id);
        if (!status) return { id, result: 'not_found' as const };
        return { id, result: TERMINAL_STATUSES.includes(status) ? 'already_ended' as const : 'cancel_requested' as const, status };
      });
      await enqueueEvents(manager, out.filter((o) => o.result === 'cancel_requested').map(({ id }) =>
        ({ topic: TOPICS.jobCancelRequested, key: id, body: { jobId: id, tenantId, reason: 'cancelled through the API' } })));
      return out;
    });
    this.relay.wake();
    return results;
  }
}
