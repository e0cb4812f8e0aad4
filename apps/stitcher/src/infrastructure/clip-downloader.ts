import { join } from 'node:path';
import { childOutputKey, type StitchRequested } from '@vrs/contracts';
import { downloadToFile, isTransientFault, OutboundError, retryWithBackoff, type OutboundPolicy, type RetryOptions } from '@vrs/net';
import { logger } from '@vrs/observability';
import { readOutputToFile, type OutputStorage } from '@vrs/storage';

export interface DownloadSettings {
  policy: OutboundPolicy;
  maxBytes: number;
  idleTimeoutMs: number;
  concurrency: number;
  /** The platform's own storage, for rendered clips. */
  storage: OutputStorage;
  /** Retries of a transient fault (a peer restarting, a breaker open), over and above one download's own. */
  retry: RetryOptions;
  /** The same for a caller's URL: short, so a dead host fails its job soon instead of holding the stitcher. */
  sourceRetry: RetryOptions;
}

/** One clip of a stitch: a user's URL, or (rendered) the output of the job's child for this position. */
type StitchClip = StitchRequested['clips'][number];

export class ClipDownloadError extends Error {
  constructor(
    readonly clipIndex: number,
    message: string,
  ) {
    super(message);
  }
}

const log = logger('clip-downloader');

/**
 * Fetches every clip to `dir`, several at a time, keeping their order; fails naming the first clip that
 * failed for good. A rendered clip is read from storage at its child's key, derived from this job's id,
 * so it depends neither on the public gateway being up nor on anything the caller can name. A transient
 * fault is retried with backoff within `settings.retry`, long enough to outlast a peer's restart and an
 * open circuit breaker; only a permanent fault, or one that outlasts the budget, fails the clip.
 */
export async function downloadClips(
  jobId: string,
  clips: StitchClip[],
  dir: string,
  settings: DownloadSettings,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<string[]> {
  const paths = clips.map((_, index) => join(dir, `clip-${String(index).padStart(4, '0')}`));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < clips.length) {
      const index = next++;
      const fetchOnce = () =>
        clips[index].rendered
          ? readOutputToFile(settings.storage, childOutputKey(jobId, index), paths[index], signal)
          : download(clips[index].src, paths[index], settings, signal);
      try {
        await retryWithBackoff(fetchOnce, clips[index].rendered ? settings.retry : settings.sourceRetry, {
          isRetryable: isTransientFault,
          onRetry: (error, attempt, delayMs) => log.warn('clip fetch failed, retrying', { clip: index + 1, attempt, delayMs, error: (error as Error).message }),
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        throw new ClipDownloadError(index, describeFailure(index, clips[index], error));
      }
      onProgress(++done / clips.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, clips.length) }, worker));
  return paths;
}

/** The failure of a join's `settings.soundtrack.src`: the job fails naming that field. */
export class SoundtrackDownloadError extends Error {}

/**
 * Fetches the music of `settings.soundtrack` to `dir` as a caller's clip is fetched: the same outbound
 * policy on every hop, size limit, idle timeout and short retry of transient faults.
 */
export async function downloadSoundtrack(src: string, dir: string, settings: DownloadSettings, signal: AbortSignal): Promise<string> {
  const path = join(dir, 'soundtrack');
  try {
    await retryWithBackoff(() => download(src, path, settings, signal), settings.sourceRetry, {
      isRetryable: isTransientFault,
      onRetry: (error, attempt, delayMs) => log.warn('soundtrack fetch failed, retrying', { attempt, delayMs, error: (error as Error).message }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SoundtrackDownloadError(`settings.soundtrack.src (${new URL(src).host}) could not be fetched: ${downloadReason(error)}`);
  }
  return path;
}

function download(src: string, path: string, settings: DownloadSettings, signal: AbortSignal): Promise<unknown> {
  return downloadToFile(src, path, { policy: settings.policy, maxBytes: settings.maxBytes, idleTimeoutMs: settings.idleTimeoutMs, signal });
}

function describeFailure(index: number, clip: StitchClip, error: unknown): string {
  if (clip.rendered) return `clip ${index + 1} (a rendered clip) could not be read from storage: ${(error as Error).message}`;
  return `clip ${index + 1} (${new URL(clip.src).host}) could not be fetched: ${downloadReason(error)}`;
}

function downloadReason(error: unknown): string {
  return error instanceof OutboundError ? error.message : `the download failed: ${(error as Error).message}`;
}
