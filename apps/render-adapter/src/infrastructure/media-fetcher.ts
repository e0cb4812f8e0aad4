import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { childOutputKey, type RenderRequested } from '@vrs/contracts';
import { downloadToFile, isTransientFault, OutboundError, retryWithBackoff, type OutboundPolicy, type RetryOptions } from '@vrs/net';
import { mediaSources, RenderInputError, type FetchMedia, type RenderRequest } from '@vrs/render';
import { readOutputToFile, type OutputStorage } from '@vrs/storage';

/** The caller's media cannot be fetched for good (404, refused URL, too large): their input, not the renderer's fault. */
export class UnreachableMediaError extends RenderInputError {}

/**
 * Downloads every media URL of the composition before the renderer runs and hands the renderer
 * local copies. A permanent failure is the caller's bad input: it is reported at once and never
 * counts against the driver's breaker (which a render's own fetch errors would).
 */
export async function prefetchMedia(request: RenderRequest, dir: string, fetchOne: FetchMedia): Promise<FetchMedia> {
  const fields = new Map(mediaSources(request).map((source) => [source.url, source.field]));
  await mkdir(dir, { recursive: true });
  const local = new Map<string, string>();
  await Promise.all([...fields].map(async ([url, field], index) => {
    const path = join(dir, `prefetched-${index}`);
    try {
      await fetchOne(url, path);
    } catch (error) {
      if (error instanceof OutboundError && !error.transient) throw new UnreachableMediaError(`The media for ${field} cannot be fetched: ${error.message}`, [{ field, message: error.message }]);
      throw error;
    }
    local.set(url, path);
  }));
  return async (url, destPath) => {
    const path = local.get(url);
    if (path) await copyFile(path, destPath);
    else await fetchOne(url, destPath);
  };
}

export interface MediaSources {
  policy: OutboundPolicy;
  maxBytes: number;
  signal: AbortSignal;
  /** The platform's own storage, where nested jobs' outputs are. */
  storage: OutputStorage;
  retry: RetryOptions;
  /** For a caller's own URL: a short budget, so a dead host fails the render soon. */
  sourceRetry: RetryOptions;
}

/**
 * Fetches one media file of a render: a nested job's output (an asset the orchestrator lists in
 * renderedAssets) straight from storage at that child's key, derived from this job's id, so it needs
 * neither the public gateway nor anything the caller can name; any other URL by a checked download.
 * Transient faults (a peer restarting, a breaker open) are retried with backoff within `retry`.
 */
export function mediaFetcher(event: Pick<RenderRequested, 'jobId' | 'assets' | 'renderedAssets'>, sources: MediaSources): FetchMedia {
  const stored = new Map<string, string>();
  for (const index of event.renderedAssets ?? []) {
    const asset = event.assets[index];
    if (asset && 'src' in asset) stored.set(asset.src, childOutputKey(event.jobId, index));
  }
  return (url, destPath) => {
    const key = stored.get(url);
    return retryWithBackoff(async () => {
      if (key) await readOutputToFile(sources.storage, key, destPath, sources.signal);
      else await downloadToFile(url, destPath, { policy: sources.policy, maxBytes: sources.maxBytes, signal: sources.signal });
    }, key ? sources.retry : sources.sourceRetry, { isRetryable: isTransientFault, signal: sources.signal });
  };
}
