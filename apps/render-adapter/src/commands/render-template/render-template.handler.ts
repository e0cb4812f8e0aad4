import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { TOPICS, type RenderRequested } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { buildRenderRequest, parseTemplate, RenderInputError, type FetchMedia } from '@vrs/render';
import { EVENT_OUTBOX, JOB_OUTPUTS, LONG_WORK, ProgressThrottle, type EventOutbox, type JobOutputs, type LongWorkRunner } from '@vrs/service-kit';
import { MEDIA_FETCH, type MediaFetch } from '../../application/ports/media-fetch.port';
import { RENDER_DRIVERS, type RenderDrivers } from '../../application/ports/render-drivers.port';
import { TEMPLATE_REPLICA, type TemplateReplica } from '../../application/ports/template-replica.port';
import { prefetchMedia } from '../../application/prefetch-media';
import type { RenderAdapterConfig } from '../../config';
import { RENDER_ADAPTER_CONFIG } from '../../tokens';

class RenderRefused extends Error {
  constructor(
    message: string,
    readonly details?: Array<{ field: string; message: string }>,
  ) {
    super(message);
  }
}

/**
 * Renders one job with the driver its template names, stores the file under the job's output key
 * and reports child.finished or child.failed. The inbox entry and the result commit together at
 * the end, so a crash before means a redelivery renders again into the same key: one output.
 */
@Injectable()
export class RenderTemplateHandler {
  private readonly log = logger('render-template');

  constructor(
    @Inject(LONG_WORK) private readonly longWork: LongWorkRunner,
    @Inject(TEMPLATE_REPLICA) private readonly templates: TemplateReplica,
    @Inject(RENDER_DRIVERS) private readonly drivers: RenderDrivers,
    @Inject(MEDIA_FETCH) private readonly media: MediaFetch,
    @Inject(JOB_OUTPUTS) private readonly outputs: JobOutputs,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
    @Inject(RENDER_ADAPTER_CONFIG) private readonly config: Pick<RenderAdapterConfig, 'TEMPLATE_WAIT_MS'>,
  ) {}

  handle(event: RenderRequested, work: UnitOfWork): Promise<void> {
    return this.longWork.perform(event.jobId, event.tenantId, work, {
      run: async ({ signal, workDir }) => {
        const { durationSec, outputPath } = await this.render(event, workDir, signal);
        const uploadedUrl = event.upload && (await this.outputs.pushToCaller(outputPath, event.upload, event.jobId));
        return { durationSec, uploadedUrl };
      },
      succeeded: ({ durationSec, uploadedUrl }) => {
        this.log.info('render finished', { durationSec });
        return this.outbox.publish(TOPICS.childFinished, event.jobId, {
          jobId: event.jobId,
          parentId: event.parentId,
          outputKey: event.outputKey,
          durationSec,
          ...(uploadedUrl ? { uploadedUrl } : {}),
        });
      },
      failed: (error) => {
        const reason = error instanceof Error ? error.message : String(error);
        const details = error instanceof RenderInputError || error instanceof RenderRefused ? error.details : undefined;
        this.log.warn('render failed', { reason });
        return this.outbox.publish(TOPICS.childFailed, event.jobId, {
          jobId: event.jobId,
          parentId: event.parentId,
          reason: reason.slice(0, 4000),
          ...(details?.length ? { details } : {}),
        });
      },
    });
  }

  private async render(event: RenderRequested, workDir: string, signal: AbortSignal): Promise<{ durationSec: number; outputPath: string }> {
    const body = await this.templates.find(event.tenantId, event.template.id, this.config.TEMPLATE_WAIT_MS, signal);
    if (body === undefined) {
      throw new RenderRefused(`template "${event.template.id}" does not exist (or was deleted)`, [{ field: 'template.id', message: 'unknown template' }]);
    }
    const template = parseTemplate(body);
    const driver = this.drivers.for(template.driver);
    if (!driver) throw new RenderRefused(`template "${template.name}" needs the ${template.driver} renderer, which this deployment does not have configured`);
    const fetchOne = this.media.fetcherFor(event, signal);
    // nexrender workers fetch media themselves; the built-in renderer gets it fetched up front.
    let fetchMedia: FetchMedia = fetchOne;
    const request = buildRenderRequest(
      template,
      {
        compositionName: event.template.composition,
        assets: event.assets,
        preview: event.preview,
        settings: event.settings,
      },
      (url, destPath) => fetchMedia(url, destPath),
    );
    if (driver.name === 'builtin') {
      fetchMedia = await prefetchMedia(request, join(workDir, 'media'), fetchOne);
    }
    const { jobId, parentId } = event;
    const progress = new ProgressThrottle((fraction) => this.outbox.publish(TOPICS.renderProgress, jobId, { jobId, parentId, fraction }));
    const result = await driver.render(request, {
      workDir,
      signal,
      onProgress: (fraction) => void progress.report(fraction).catch((error) => this.log.warn('progress not recorded', { error: error.message })),
    });
    await this.outputs.store(event.outputKey, result.outputPath, signal);
    return result;
  }
}
