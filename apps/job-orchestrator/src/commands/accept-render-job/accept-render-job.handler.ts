import { Inject, Injectable } from '@nestjs/common';
import { OutputUrls, type RenderJobRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { newRenderJob } from '../../domain/children';
import { JobFlow } from '../../infrastructure/job-flow';
import { JobRequestChecks } from '../../infrastructure/job-request-checks';

/**
 * A render job from the gateway: created with a child per nested job asset; it renders once they are done.
 * The same checks as join requests (tenant exists, job id not another tenant's), should anything else write here.
 */
@Injectable()
export class AcceptRenderJobHandler {
  private readonly log = logger('accept-render-job');

  constructor(@Inject(OutputUrls) private readonly urls: OutputUrls, private readonly checks: JobRequestChecks) {}

  async handle(event: RenderJobRequested, work: UnitOfWork, signal: AbortSignal): Promise<void> {
    await this.checks.requireTenant(event.tenantId, event.jobId, signal);
    await work.transaction(async (manager) => {
      const now = new Date();
      const created = newRenderJob({
        id: event.jobId, tenantId: event.tenantId, parentId: null, upload: event.upload, webhook: event.webhook,
        spec: { template: event.template, assets: event.assets, preview: event.preview, settings: event.settings },
      }, now);
      const flow = new JobFlow(manager, (key) => this.urls.urlFor(key));
      const launched = await flow.launch(created, now);
      if (!launched) await this.checks.requireOwnJob(flow.store, event.jobId, event.tenantId);
      this.log.info(launched ? 'render job accepted' : 'render request for an existing job ignored', { template: event.template.id });
    });
  }
}
