import { join } from 'node:path';
import { downloadToFile, OutboundError, type OutboundPolicy } from '@vrs/net';

export interface DownloadSettings {
  policy: OutboundPolicy;
  maxBytes: number;
  idleTimeoutMs: number;
  concurrency: number;
}

export class ClipDownloadError extends Error {
  constructor(readonly clipIndex: number, message: string) {
    super(message);
  }
}

/** Downloads every clip to `dir`, several at a time, keeping their order; fails naming the first clip that failed. */
export async function downloadClips(sources: string[], dir: string, settings: DownloadSettings, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<string[]> {
  const paths = sources.map((_, index) => join(dir, `clip-${String(index).padStart(4, '0')}`));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < sources.length) {
      const index = next++;
      try {
        await downloadToFile(sources[index], paths[index], { policy: settings.policy, maxBytes: settings.maxBytes, idleTimeoutMs: settings.idleTimeoutMs, signal });
      } catch (error) {
        if (signal.aborted) throw error;
        const reason = error instanceof OutboundError ? error.message : `the download failed: ${(error as Error).message}`;
        throw new ClipDownloadError(index, `clip ${index + 1} (${new URL(sources[index]).host}) could not be fetched: ${reason}`);
      }
      onProgress(++done / sources.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, sources.length) }, worker));
  return paths;
}
