import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TOPICS, uploadSecretKey, type RenderRequested } from '@vrs/contracts';
import { enqueueEvent, type UnitOfWork } from '@vrs/messaging';
import type { OutboundPolicy } from '@vrs/net';
import { logger, timeSuccess } from '@vrs/observability';
import { buildRenderRequest, parseTemplate, RenderInputError, type FetchMedia } from '@vrs/render';
import { CancellableWork, transientRetry, sourceUrlRetry } from '@vrs/service-kit';
import { pushToCallerBucket, type OutputStorage } from '@vrs/storage';
import type { RenderAdapterConfig } from '../../config';
import { OUTBOUND_POLICY, OUTPUT_STORAGE, RENDER_ADAPTER_CONFIG } from '../../tokens';
import { ProgressReporter } from '../../infrastructure/progress-reporter';
import { RenderDrivers } from '../../infrastructure/render-drivers';
import { mediaFetcher, prefetchMedia } from '../../infrastructure/media-prefetch';
import { TemplateReplica } from '../../infrastructure/template-replica';
import { renderDuration } from '../../infrastructure/render-metrics';

class RenderRefused extends Error {
  constructor(message: string, readonly details?: Array<{ field: string; message: string }>) {
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
  private readonly templates: TemplateReplica;
  /** Opens upload secrets sealed by the gateway (env UPLOAD_SECRET_KEY); read at start so a bad key fails early. */
  private readonly uploadKey = uploadSecretKey();

  constructor(
    private readonly dataSource: DataSource,
    private readonly longWork: CancellableWork,
    private readonly drivers: RenderDrivers,
    @Inject(RENDER_ADAPTER_CONFIG) private readonly config: RenderAdapterConfig,
    @Inject(OUTPUT_STORAGE) private readonly storage: OutputStorage,
    @Inject(OUTBOUND_POLICY) private readonly policy: OutboundPolicy,
  ) {
    this.templates = new TemplateReplica(dataSource);
  }

  handle(event: RenderRequested, work: UnitOfWork): Promise<void> {
    return this.longWork.perform(event.jobId, event.tenantId, work, {
      run: async ({ signal, workDir }) => {
        const { durationSec, outputPath } = await this.render(event, workDir, signal);
        const uploadedUrl = event.upload && await pushToCallerBucket(outputPath, event.upload, event.jobId, this.uploadKey, this.policy);
        return { durationSec, uploadedUrl };
      },
      succeeded: (manager, { durationSec, uploadedUrl }) => {
        this.log.info('render finished', { durationSec });
        return enqueueEvent(manager, TOPICS.childFinished, event.jobId, {
          jobId: event.jobId, parentId: event.parentId, outputKey: event.outputKey, durationSec, ...(uploadedUrl ? { uploadedUrl } : {}),
        });
      },
      failed: (manager, error) => {
        const reason = error instanceof Error ? error.message : String(error);
        const details = error instanceof RenderInputError || error instanceof RenderRefused ? error.details : undefined;
        this.log.warn('render failed', { reason });
        return enqueueEvent(manager, TOPICS.childFailed, event.jobId, {
          jobId: event.jobId, parentId: event.parentId, reason: reason.slice(0, 4000), ...(details?.length ? { details } : {}),
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
    const fetchOne = mediaFetcher(event, { policy: this.policy, maxBytes: this.config.MAX_MEDIA_BYTES, signal, storage: this.storage, retry: transientRetry(this.config), sourceRetry: sourceUrlRetry(this.config) });
    // nexrender workers fetch media themselves; the built-in renderer gets it fetched up front.
    let fetchMedia: FetchMedia = fetchOne;
    const request = buildRenderRequest(template, {
      compositionName: event.template.composition, assets: event.assets, preview: event.preview, settings: event.settings,
    }, (url, destPath) => fetchMedia(url, destPath));
    if (driver.name === 'builtin') {
      fetchMedia = await prefetchMedia(request, join(workDir, 'media'), fetchOne);
    }
    const progress = new ProgressReporter(this.dataSource, { jobId: event.jobId, parentId: event.parentId });
    const result = await timeSuccess(renderDuration, () => ({ driver: driver.name }), () => driver.render(request, {
      workDir,
      signal,
      onProgress: (fraction) => void progress.report(fraction).catch((error) => this.log.warn('progress not recorded', { error: error.message })),
    }));
    await this.storage.put(event.outputKey, result.outputPath, 'video/mp4');
    return result;
  }
}
