import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TERMINAL_STATUSES, TOPICS } from '@vrs/contracts';
import { enqueueEvent, OutboxRelay } from '@vrs/messaging';
import { ApiError } from '../../http/api-error';
import { JobViews } from '../../infrastructure/job-views';
import { WebhookAttemptViews } from '../../infrastructure/webhook-attempt-views';

/** Asks the notifier to send an ended job's webhook again; only jobs whose webhook was attempted have one to resend. */
@Injectable()
export class RedeliverWebhookHandler {
  constructor(private readonly dataSource: DataSource, private readonly relay: OutboxRelay) {}

  async handle(tenantId: string, jobId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const job = await new JobViews(manager).get(tenantId, jobId);
      if (!job) throw ApiError.notFound(`Job ${jobId}`);
      if (!TERMINAL_STATUSES.includes(job.status)) throw ApiError.conflict(`Job ${jobId} has not ended (${job.status}); its webhook is sent when it does.`);
      if ((await new WebhookAttemptViews(manager).forJob(tenantId, jobId)).length === 0) {
        throw ApiError.conflict(`Job ${jobId} has no webhook delivery to resend (no webhook was given, or its first attempt is still on its way).`);
      }
      await enqueueEvent(manager, TOPICS.webhookRedeliverRequested, jobId, { jobId, tenantId });
    });
    this.relay.wake();
  }
}
