import { Injectable } from '@nestjs/common';
import type { RenderJobRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { newRenderJob } from '../../domain/children';
import { JobFlows } from '../../infrastructure/job-flows';

/** A render job from the gateway: created with a child per nested job asset; it renders once they are done. */
@Injectable()
export class AcceptRenderJobHandler {
  private readonly log = logger('accept-render-job');

  constructor(private readonly flows: JobFlows) {}

  handle(event: RenderJobRequested, work: UnitOfWork): Promise<void> {
    return work.transaction(async (manager) => {
      const now = new Date();
      const created = newRenderJob({
        id: event.jobId, tenantId: event.tenantId, parentId: null, upload: event.upload, webhook: event.webhook,
        spec: { template: event.template, assets: event.assets, preview: event.preview, settings: event.settings },
      }, now);
      const launched = await this.flows.open(manager).launch(created, now);
      const message = { created: 'render job accepted', cancelled: 'render job accepted as cancelled: its cancel came first', exists: 'render request for an existing job ignored' }[launched];
      this.log.info(message, { jobId: event.jobId, template: event.template.id });
    });
  }
}
