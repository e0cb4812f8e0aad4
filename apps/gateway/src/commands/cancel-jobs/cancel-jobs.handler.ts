import { Inject, Injectable } from '@nestjs/common';
import { TERMINAL_STATUSES, TOPICS, type CancelOutcome } from '@vrs/contracts';
import { EVENT_OUTBOX, TRANSACTIONS, type EventOutbox, type Transactions } from '@vrs/service-kit';
import { JOB_VIEWS, type JobViews } from '../../application/ports/job-views.port';

/** Asks the orchestrator to cancel jobs the tenant owns and that have not ended: one read, one bulk INSERT. */
@Injectable()
export class CancelJobsHandler {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(JOB_VIEWS) private readonly views: JobViews,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
  ) {}

  cancel(tenantId: string, ids: string[]): Promise<CancelOutcome[]> {
    return this.transactions.run(async () => {
      const statuses = await this.views.statuses(tenantId, ids);
      const out = ids.map((id): CancelOutcome => {
        const status = statuses.get(id);
        if (!status) return { id, result: 'not_found' };
        return { id, result: TERMINAL_STATUSES.includes(status) ? 'already_ended' : 'cancel_requested', status };
      });
      await this.outbox.publishAll(
        out
          .filter((o) => o.result === 'cancel_requested')
          .map(({ id }) => ({ topic: TOPICS.jobCancelRequested, key: id, body: { jobId: id, tenantId, reason: 'cancelled through the API' } })),
      );
      return out;
    });
  }
}
