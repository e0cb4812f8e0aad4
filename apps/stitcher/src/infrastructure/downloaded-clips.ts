import { Inject, Injectable } from '@nestjs/common';
import type { StitchRequested } from '@vrs/contracts';
import { OUTBOUND_POLICY, type OutboundPolicy } from '@vrs/net';
import { sourceUrlRetry, transientRetry } from '@vrs/service-kit';
import { OUTPUT_STORAGE, type OutputStorage } from '@vrs/storage';
import type { ClipSource } from '../application/ports/clip-source.port';
import type { StitcherConfig } from '../config';
import { STITCHER_CONFIG } from '../tokens';
import { downloadClips, downloadSoundtrack, type DownloadSettings } from './clip-downloader';

/** `ClipSource` with the deployment's download limits, outbound policy, storage and retry budgets. */
@Injectable()
export class DownloadedClips implements ClipSource {
  private readonly settings: DownloadSettings;

  constructor(
    @Inject(STITCHER_CONFIG) config: StitcherConfig,
    @Inject(OUTBOUND_POLICY) policy: OutboundPolicy,
    @Inject(OUTPUT_STORAGE) storage: OutputStorage,
  ) {
    this.settings = {
      policy,
      storage,
      maxBytes: config.MAX_CLIP_BYTES,
      idleTimeoutMs: config.DOWNLOAD_IDLE_TIMEOUT_MS,
      concurrency: config.DOWNLOAD_CONCURRENCY,
      retry: transientRetry(config),
      sourceRetry: sourceUrlRetry(config),
    };
  }

  fetchAll(jobId: string, clips: StitchRequested['clips'], dir: string, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<string[]> {
    return downloadClips(jobId, clips, dir, this.settings, signal, onProgress);
  }

  fetchSoundtrack(src: string, dir: string, signal: AbortSignal): Promise<string> {
    return downloadSoundtrack(src, dir, this.settings, signal);
  }
}
