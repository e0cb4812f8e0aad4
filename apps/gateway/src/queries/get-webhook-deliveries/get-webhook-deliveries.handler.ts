import { Inject, Injectable } from '@nestjs/common';
import type { WebhookDeliveries } from '@vrs/contracts';
import { JOB_VIEWS, type JobViews } from '../../application/ports/job-views.port';
import { WEBHOOK_ATTEMPT_VIEWS, type WebhookAttemptViews } from '../../application/ports/webhook-attempt-views.port';
import { ApiError } from '../../http/api-error';

@Injectable()
export class GetWebhookDeliveriesHandler {
  constructor(
    @Inject(JOB_VIEWS) private readonly views: JobViews,
    @Inject(WEBHOOK_ATTEMPT_VIEWS) private readonly attempts: WebhookAttemptViews,
  ) {}

  /** The job's webhook delivery log: every attempt with its status code, timing and error. */
  async handle(tenantId: string, jobId: string): Promise<WebhookDeliveries> {
    if (!(await this.views.get(tenantId, jobId))) throw ApiError.notFound(`Job ${jobId}`);
    return { jobId, deliveries: await this.attempts.forJob(tenantId, jobId) };
  }
}
