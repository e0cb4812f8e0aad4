import { Inject, Injectable } from '@nestjs/common';
import type { RenderJobRequested } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import type { Transactions } from '@vrs/service-kit';
import { JobRequestChecks } from '../../application/job-request-checks';
import { JOB_FLOWS, type JobFlows } from '../../application/ports/job-flows.port';
import { newRenderJob } from '../../domain/children';

/**
 * A render job from the gateway: created with a child per nested job asset; it renders once they are done.
 * The same checks as join requests (tenant exists, job id not another tenant's), should anything else write here.
 */
@Injectable()
export class AcceptRenderJobHandler {
  private readonly log = logger('accept-render-job');

  constructor(
    @Inject(JOB_FLOWS) private readonly flows: JobFlows,
    private readonly checks: JobRequestChecks,
  ) {}

  async handle(event: RenderJobRequested, consumed: Transactions, signal: AbortSignal): Promise<void> {
    await this.checks.requireTenant(event.tenantId, event.jobId, signal);
    await consumed.run(async () => {
      const now = new Date();
      const created = newRenderJob(
        {
          id: event.jobId,
          tenantId: event.tenantId,
          parentId: null,
          upload: event.upload,
          webhook: event.webhook,
          spec: { template: event.template, assets: event.assets, preview: event.preview, settings: event.settings },
        },
        now,
      );
      const flow = this.flows.open();
      const launched = await flow.launch(created, now);
      if (launched === 'exists') await this.checks.requireOwnJob(flow.store, event.jobId, event.tenantId);
      const message = {
        created: 'render job accepted',
        cancelled: 'render job accepted as cancelled: its cancel came first',
        exists: 'render request for an existing job ignored',
      }[launched];
      this.log.info(message, { jobId: event.jobId, template: event.template.id });
    });
  }
}
