import { Injectable } from '@nestjs/common';
import type { RenderJobRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { newRenderJob } from '../../domain/children';
import { JobFlows } from '../../infrastructure/job-flows';
import { JobRequestChecks } from '../../infrastructure/job-request-checks';

/**
 * A render job from the gateway: created with a child per nested job asset; it renders once they are done.
 * The same checks as join requests (tenant exists, job id not another tenant's), should anything else write here.
 */
@Injectable()
export class AcceptRenderJobHandler {
  private readonly log = logger('accept-render-job');

  constructor(private readonly flows: JobFlows, private readonly checks: JobRequestChecks) {}

  async handle(event: RenderJobRequested, work: UnitOfWork, signal: AbortSignal): Promise<void> {
    await this.checks.requireTenant(event.tenantId, event.jobId, signal);
    await work.transaction(async (manager) => {
      const now = new Date();
      const created = newRenderJob({
        id: event.jobId, tenantId: event.tenantId, parentId: null, upload: event.upload, webhook: event.webhook,
        spec: { template: event.template, assets: event.assets, preview: event.preview, settings: event.settings },
      }, now);
      const flow = this.flows.open(manager);
      const launched = await flow.launch(created, now);
      if (launched === 'exists') await this.checks.requireOwnJob(flow.store, event.jobId, event.tenantId);
      const message = { created: 'render job accepted', cancelled: 'render job accepted as cancelled: its cancel came first', exists: 'render request for an existing job ignored' }[launched];
      this.log.info(message, { jobId: event.jobId, template: event.template.id });
    });
  }
}
