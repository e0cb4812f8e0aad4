import { Inject, Injectable } from '@nestjs/common';
import { childOutputKey, type RenderRequested } from '@vrs/contracts';
import { downloadToFile, isTransientFault, OUTBOUND_POLICY, retryWithBackoff, type OutboundPolicy, type RetryOptions } from '@vrs/net';
import type { FetchMedia } from '@vrs/render';
import { sourceUrlRetry, transientRetry } from '@vrs/service-kit';
import { OUTPUT_STORAGE, readOutputToFile, type OutputStorage } from '@vrs/storage';
import type { MediaFetch } from '../application/ports/media-fetch.port';
import type { RenderAdapterConfig } from '../config';
import { RENDER_ADAPTER_CONFIG } from '../tokens';

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
    return retryWithBackoff(
      async () => {
        if (key) await readOutputToFile(sources.storage, key, destPath, sources.signal);
        else await downloadToFile(url, destPath, { policy: sources.policy, maxBytes: sources.maxBytes, signal: sources.signal });
      },
      key ? sources.retry : sources.sourceRetry,
      { isRetryable: isTransientFault, signal: sources.signal },
    );
  };
}

/** `MediaFetch` with the deployment's outbound policy, size limit, storage and retry budgets. */
@Injectable()
export class CheckedMediaFetch implements MediaFetch {
  constructor(
    @Inject(RENDER_ADAPTER_CONFIG) private readonly config: RenderAdapterConfig,
    @Inject(OUTBOUND_POLICY) private readonly policy: OutboundPolicy,
    @Inject(OUTPUT_STORAGE) private readonly storage: OutputStorage,
  ) {}

  fetcherFor(event: Pick<RenderRequested, 'jobId' | 'assets' | 'renderedAssets'>, signal: AbortSignal): FetchMedia {
    const { config } = this;
    return mediaFetcher(event, {
      policy: this.policy,
      maxBytes: config.MAX_MEDIA_BYTES,
      signal,
      storage: this.storage,
      retry: transientRetry(config),
      sourceRetry: sourceUrlRetry(config),
    });
  }
}
