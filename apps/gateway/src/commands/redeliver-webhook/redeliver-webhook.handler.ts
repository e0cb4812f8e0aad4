import { Inject, Injectable } from '@nestjs/common';
import { TERMINAL_STATUSES, TOPICS } from '@vrs/contracts';
import { EVENT_OUTBOX, TRANSACTIONS, type EventOutbox, type Transactions } from '@vrs/service-kit';
import { JOB_VIEWS, type JobViews } from '../../application/ports/job-views.port';
import { WEBHOOK_ATTEMPT_VIEWS, type WebhookAttemptViews } from '../../application/ports/webhook-attempt-views.port';
import { ApiError } from '../../http/api-error';

/** Asks the notifier to send an ended job's webhook again; only jobs whose webhook was attempted have one to resend. */
@Injectable()
export class RedeliverWebhookHandler {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(JOB_VIEWS) private readonly views: JobViews,
    @Inject(WEBHOOK_ATTEMPT_VIEWS) private readonly attempts: WebhookAttemptViews,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
  ) {}

  async handle(tenantId: string, jobId: string): Promise<void> {
    await this.transactions.run(async () => {
      const job = await this.views.get(tenantId, jobId);
      if (!job) throw ApiError.notFound(`Job ${jobId}`);
      if (!TERMINAL_STATUSES.includes(job.status)) throw ApiError.conflict(`Job ${jobId} has not ended (${job.status}); its webhook is sent when it does.`);
      if ((await this.attempts.forJob(tenantId, jobId)).length === 0) {
        throw ApiError.conflict(`Job ${jobId} has no webhook delivery to resend (no webhook was given, or its first attempt is still on its way).`);
      }
      await this.outbox.publish(TOPICS.webhookRedeliverRequested, jobId, { jobId, tenantId });
    });
  }
}
