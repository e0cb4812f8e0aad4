import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  jobPosterKey, jobThumbnailSpriteKey, jobThumbnailsKey, MAX_JOB_WARNINGS, TOPICS, uploadSecretKey, type StitchRequested,
} from '@vrs/contracts';
import { stitchClips, type CpuSlots, type StitchReport } from '@vrs/media';
import { enqueueEvent, type UnitOfWork } from '@vrs/messaging';
import { isTransientFault, retryWithBackoff, type OutboundPolicy } from '@vrs/net';
import { logger, timeSuccess } from '@vrs/observability';
import { pushToCallerBucket, type OutputStorage } from '@vrs/storage';
import { STITCHER_CONFIG, OUTPUT_STORAGE, OUTBOUND_POLICY, CPU_SLOTS } from '../../tokens';
import type { StitcherConfig } from '../../config';
import { ProgressReporter } from '../../infrastructure/progress-reporter';
import { CancellableWork, transientRetry, sourceUrlRetry } from '@vrs/service-kit';
import { downloadClips, downloadSoundtrack } from './clip-downloader';
import { stitchDuration } from '../../infrastructure/stitch-metrics';

/**
 * Downloads the clips, stitches them, stores the result under the job's output key and reports
 * back. The inbox entry and the result event commit together at the end, so a crash anywhere
 * before means the request is redelivered and stitched again into the same key: one output.
 */
@Injectable()
export class StitchClipsHandler {
  private readonly log = logger('stitch-clips');
  /** Opens upload secrets sealed by the gateway (env UPLOAD_SECRET_KEY); read at start so a bad key fails early. */
  private readonly uploadKey = uploadSecretKey();

  constructor(
    private readonly dataSource: DataSource,
    private readonly longWork: CancellableWork,
    @Inject(STITCHER_CONFIG) private readonly config: StitcherConfig,
    @Inject(OUTPUT_STORAGE) private readonly storage: OutputStorage,
    @Inject(OUTBOUND_POLICY) private readonly policy: OutboundPolicy,
    @Inject(CPU_SLOTS) private readonly cpuSlots: CpuSlots,
  ) {}

  handle(event: StitchRequested, work: UnitOfWork): Promise<void> {
    const progress = new ProgressReporter(this.dataSource, event.jobId);
    return this.longWork.perform(event.jobId, event.tenantId, work, {
      run: ({ signal, workDir }) => this.stitch(event, workDir, signal, progress),
      succeeded: (manager, { timingsMs, ...result }) => {
        this.log.info('stitch completed', { ...result, timingsMs });
        return enqueueEvent(manager, TOPICS.stitchCompleted, event.jobId, { jobId: event.jobId, outputKey: event.outputKey, ...result });
      },
      failed: (manager, error) => {
        const reason = error instanceof Error ? error.message : String(error);
        const clipIndex = (error as { clipIndex?: number }).clipIndex;
        this.log.warn('stitch failed', { reason, clipIndex });
        return enqueueEvent(manager, TOPICS.stitchFailed, event.jobId, { jobId: event.jobId, reason, ...(clipIndex !== undefined ? { clipIndex } : {}) });
      },
    });
  }

  private async stitch(event: StitchRequested, workDir: string, signal: AbortSignal, progress: ProgressReporter) {
    const report = (phase: Parameters<ProgressReporter['report']>[0], fraction: number) => {
      progress.report(phase, fraction).catch((error) => this.log.warn('progress not recorded', { error: error.message }));
    };
    const retry = transientRetry(this.config);
    // Where the time went, for the completion log line (docs/benchmarks.md has the breakdown).
    const timingsMs: Record<'download' | 'stitch' | 'store' | 'upload', number> = { download: 0, stitch: 0, store: 0, upload: 0 };
    const timed = async <R>(stage: keyof typeof timingsMs, work: () => Promise<R>): Promise<R> => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        timingsMs[stage] = Math.round(performance.now() - started);
      }
    };
    const downloads = {
      policy: this.policy, maxBytes: this.config.MAX_CLIP_BYTES, idleTimeoutMs: this.config.DOWNLOAD_IDLE_TIMEOUT_MS, concurrency: this.config.DOWNLOAD_CONCURRENCY,
      storage: this.storage, retry, sourceRetry: sourceUrlRetry(this.config),
    };
    const soundtrack = event.settings?.soundtrack;
    // Both run to their end before a failure is reported, so nothing still writes into workDir afterwards.
    const [clips, music] = await timed('download', () => Promise.allSettled([
      downloadClips(event.jobId, event.clips, workDir, downloads, signal, (fraction) => report('download', fraction)),
      soundtrack ? downloadSoundtrack(soundtrack.src, workDir, downloads, signal) : Promise.resolve(undefined),
    ]));
    if (clips.status === 'rejected') throw clips.reason;
    if (music.status === 'rejected') throw music.reason;
    const inputs = clips.value;

    const outputPath = join(workDir, 'output.mp4');
    const spriteKey = jobThumbnailSpriteKey(event.jobId);
    const stitched = await timed('stitch', () => timeSuccess(stitchDuration, (done) => ({ method: done.method }), () => stitchClips({
      inputs, outputPath, workDir,
      target: { maxWidth: this.config.OUTPUT_MAX_WIDTH, maxHeight: this.config.OUTPUT_MAX_HEIGHT },
      settings: event.settings,
      transitions: event.clips.map((clip) => clip.transition),
      // The index names the sprite by its key: stored side by side, a player finds one from the other.
      stills: { posterPath: join(workDir, 'poster.jpg'), spritePath: join(workDir, spriteKey), indexPath: join(workDir, 'thumbnails.vtt'), spriteRef: spriteKey },
      soundtrackPath: music.value,
      concurrency: this.config.NORMALISE_CONCURRENCY,
      cpuSlots: this.cpuSlots,
      signal,
      onProgress: report,
    })));
    report('store', 0);
    // Storage restarting must not lose a finished stitch: the put is retried like a clip fetch.
    await timed('store', () => retryWithBackoff(() => this.storage.put(event.outputKey, outputPath, 'video/mp4'), retry, { isRetryable: isTransientFault, signal }));
    const stills = await this.storeStills(event.jobId, stitched, (key, path, type) =>
      retryWithBackoff(() => this.storage.put(key, path, type), retry, { isRetryable: isTransientFault, signal }));
    const warnings = stitched.warnings.slice(0, MAX_JOB_WARNINGS);
    for (const warning of warnings) this.log.warn('stitch warning', { warning });
    const result = {
      durationSec: stitched.durationSec, sizeBytes: stitched.sizeBytes, ...(warnings.length ? { warnings } : {}),
      ...(stitched.overlapSec ? { overlapSec: stitched.overlapSec } : {}),
      ...stills,
    };
    if (!event.upload) return { ...result, timingsMs };
    report('upload', 0);
    const uploadedUrl = await timed('upload', () => pushToCallerBucket(outputPath, event.upload!, event.jobId, this.uploadKey, this.policy));
    return { ...result, uploadedUrl, timingsMs };
  }

  /** The poster and thumbnails, when made, go beside the output under keys derived from the job id. */
  private async storeStills(jobId: string, stitched: StitchReport, put: (key: string, path: string, type: string) => Promise<void>) {
    if (stitched.poster) await put(jobPosterKey(jobId), stitched.poster.path, 'image/jpeg');
    if (stitched.thumbnails) {
      await put(jobThumbnailSpriteKey(jobId), stitched.thumbnails.spritePath, 'image/jpeg');
      await put(jobThumbnailsKey(jobId), stitched.thumbnails.indexPath, 'text/vtt');
    }
    return {
      ...(stitched.poster ? { posterKey: jobPosterKey(jobId) } : {}),
      ...(stitched.thumbnails ? { thumbnailsKey: jobThumbnailsKey(jobId) } : {}),
    };
  }
}
