import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import {
  jobPosterKey,
  jobThumbnailsKey,
  jobThumbnailSpriteKey,
  MAX_JOB_WARNINGS,
  TOPICS,
  type StitchProgressPhase,
  type StitchRequested,
} from '@vrs/contracts';
import type { StitchReport } from '@vrs/media';
import type { UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { EVENT_OUTBOX, JOB_OUTPUTS, LONG_WORK, ProgressThrottle, type EventOutbox, type JobOutputs, type LongWorkRunner } from '@vrs/service-kit';
import { CLIP_SOURCE, type ClipSource } from '../../application/ports/clip-source.port';
import { STITCH_ENGINE, type StitchEngine } from '../../application/ports/stitch-engine.port';
import { stitchFraction } from '../../domain/stitch-progress';

/** A stitch's first progress waits this long (see progressOf). */
const STITCH_PROGRESS_QUIET_MS = 1_000;

/**
 * Downloads the clips, stitches them, stores the result under the job's output key and reports
 * back. The inbox entry and the result event commit together at the end, so a crash anywhere
 * before means the request is redelivered and stitched again into the same key: one output.
 */
@Injectable()
export class StitchClipsHandler {
  private readonly log = logger('stitch-clips');

  constructor(
    @Inject(LONG_WORK) private readonly longWork: LongWorkRunner,
    @Inject(CLIP_SOURCE) private readonly clips: ClipSource,
    @Inject(STITCH_ENGINE) private readonly engine: StitchEngine,
    @Inject(JOB_OUTPUTS) private readonly outputs: JobOutputs,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
  ) {}

  handle(event: StitchRequested, work: UnitOfWork): Promise<void> {
    return this.longWork.perform(event.jobId, event.tenantId, work, {
      run: ({ signal, workDir }) => this.stitch(event, workDir, signal),
      succeeded: ({ timingsMs, ...result }) => {
        this.log.info('stitch completed', { ...result, timingsMs });
        return this.outbox.publish(TOPICS.stitchCompleted, event.jobId, { jobId: event.jobId, outputKey: event.outputKey, ...result });
      },
      failed: (error) => {
        const reason = error instanceof Error ? error.message : String(error);
        const clipIndex = (error as { clipIndex?: number }).clipIndex;
        this.log.warn('stitch failed', { reason, clipIndex });
        return this.outbox.publish(TOPICS.stitchFailed, event.jobId, { jobId: event.jobId, reason, ...(clipIndex !== undefined ? { clipIndex } : {}) });
      },
    });
  }

  private async stitch(event: StitchRequested, workDir: string, signal: AbortSignal) {
    const progress = this.progressOf(event.jobId);
    try {
      return await this.stitchReporting(event, workDir, signal, progress.report);
    } finally {
      progress.stop();
    }
  }

  private async stitchReporting(event: StitchRequested, workDir: string, signal: AbortSignal, report: (phase: StitchProgressPhase, fraction: number) => void) {
    // Sent with the result: a stitch that ends within its progress's quiet start reported no start of its own.
    const startedAt = new Date().toISOString();
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
    const soundtrack = event.settings?.soundtrack;
    // Both run to their end before a failure is reported, so nothing still writes into workDir afterwards.
    const [clips, music] = await timed('download', () =>
      Promise.allSettled([
        this.clips.fetchAll(event.jobId, event.clips, workDir, signal, (fraction) => report('download', fraction)),
        soundtrack ? this.clips.fetchSoundtrack(soundtrack.src, workDir, signal) : Promise.resolve(undefined),
      ]),
    );
    if (clips.status === 'rejected') throw clips.reason;
    if (music.status === 'rejected') throw music.reason;
    const inputs = clips.value;

    const outputPath = join(workDir, 'output.mp4');
    const spriteKey = jobThumbnailSpriteKey(event.jobId);
    const stitched = await timed('stitch', () =>
      this.engine.stitch({
        inputs,
        outputPath,
        workDir,
        settings: event.settings,
        transitions: event.clips.map((clip) => clip.transition),
        // The index names the sprite by its key: stored side by side, a player finds one from the other.
        stills: {
          posterPath: join(workDir, 'poster.jpg'),
          spritePath: join(workDir, spriteKey),
          indexPath: join(workDir, 'thumbnails.vtt'),
          spriteRef: spriteKey,
        },
        soundtrackPath: music.value,
        signal,
        onProgress: report,
      }),
    );
    report('store', 0);
    await timed('store', () => this.outputs.store(event.outputKey, outputPath, signal));
    const stills = await this.storeStills(event.jobId, stitched, signal);
    const warnings = stitched.warnings.slice(0, MAX_JOB_WARNINGS);
    for (const warning of warnings) this.log.warn('stitch warning', { warning });
    // Which path ran and how much was re-encoded: what an operator checks when a join is slower than a copy.
    this.log.info('stitched', { method: stitched.method, ...(stitched.reencodedSec !== undefined ? { reencodedSec: stitched.reencodedSec } : {}) });
    const result = {
      durationSec: stitched.durationSec,
      sizeBytes: stitched.sizeBytes,
      ...(warnings.length ? { warnings } : {}),
      ...(stitched.overlapSec ? { overlapSec: stitched.overlapSec } : {}),
      ...stills,
      startedAt,
    };
    if (!event.upload) return { ...result, timingsMs };
    report('upload', 0);
    const uploadedUrl = await timed('upload', () => this.outputs.pushToCaller(outputPath, event.upload!, event.jobId));
    return { ...result, uploadedUrl, timingsMs };
  }

  /** The poster and thumbnails, when made, go beside the output under keys derived from the job id. */
  private async storeStills(jobId: string, stitched: StitchReport, signal: AbortSignal) {
    if (stitched.poster) await this.outputs.store(jobPosterKey(jobId), stitched.poster.path, signal, 'image/jpeg');
    if (stitched.thumbnails) {
      await this.outputs.store(jobThumbnailSpriteKey(jobId), stitched.thumbnails.spritePath, signal, 'image/jpeg');
      await this.outputs.store(jobThumbnailsKey(jobId), stitched.thumbnails.indexPath, signal, 'text/vtt');
    }
    return {
      ...(stitched.poster ? { posterKey: jobPosterKey(jobId) } : {}),
      ...(stitched.thumbnails ? { thumbnailsKey: jobThumbnailsKey(jobId) } : {}),
    };
  }

  /**
   * Progress of the whole stitch from each phase's own, published as stitch.progress (throttled). The
   * first waits a second: most copy joins end before, and their progress would cost more events than the join.
   */
  private progressOf(jobId: string) {
    let phase: StitchProgressPhase = 'download';
    const throttle = new ProgressThrottle(
      (fraction) =>
        this.outbox
          .publish(TOPICS.stitchProgress, jobId, { jobId, phase, fraction })
          .catch((error) => this.log.warn('progress not recorded', { error: error.message })),
      { quietFirstMs: STITCH_PROGRESS_QUIET_MS },
    );
    return {
      report: (reported: StitchProgressPhase, fraction: number) => {
        phase = reported;
        void throttle.report(stitchFraction(reported, fraction));
      },
      stop: () => throttle.stop(),
    };
  }
}
