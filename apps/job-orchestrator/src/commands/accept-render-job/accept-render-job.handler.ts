import { Inject, Injectable } from '@nestjs/common';
import { OutputUrls, type RenderJobRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { newRenderJob } from '../../domain/children';
import { JobFlow } from '../../infrastructure/job-flow';

/** A render job from the gateway: created with a child per nested job asset; it renders once they are done. */
@Injectable()
export class AcceptRenderJobHandler {
  private readonly log = logger('accept-render-job');

  constructor(@Inject(OutputUrls) private readonly urls: OutputUrls) {}

  handle(event: RenderJobRequested, work: UnitOfWork): Promise<void> {
    return work.transaction(async (manager) => {
      const now = new Date();
      const created = newRenderJob({
        id: event.jobId, tenantId: event.tenantId, parentId: null, upload: event.upload, webhook: event.webhook,
        spec: { template: event.template, assets: event.assets, preview: event.preview, settings: event.settings },
      }, now);
      const launched = await new JobFlow(manager, (key) => this.urls.urlFor(key)).launch(created, now);
      this.log.info(launched ? 'render job accepted' : 'render request for an existing job ignored', { template: event.template.id });
    });
  }
}
