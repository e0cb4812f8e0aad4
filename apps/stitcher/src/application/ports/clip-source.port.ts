import type { StitchRequested } from '@vrs/contracts';

/**
 * Fetches a stitch's media to local files: the clips in order (a caller's URL by a checked download, a
 * rendered clip from storage; a failure names the clip, an error with `clipIndex`), and the music of
 * `settings.soundtrack` (a failure names that field).
 */
export interface ClipSource {
  fetchAll(jobId: string, clips: StitchRequested['clips'], dir: string, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<string[]>;
  fetchSoundtrack(src: string, dir: string, signal: AbortSignal): Promise<string>;
}

export const CLIP_SOURCE = Symbol('CLIP_SOURCE');
