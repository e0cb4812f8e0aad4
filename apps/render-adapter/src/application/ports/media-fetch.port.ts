import type { RenderRequested } from '@vrs/contracts';
import type { FetchMedia } from '@vrs/render';

/** How one render reads its media: nested jobs' outputs from storage, other URLs by a checked download. */
export interface MediaFetch {
  fetcherFor(event: Pick<RenderRequested, 'jobId' | 'assets' | 'renderedAssets'>, signal: AbortSignal): FetchMedia;
}

export const MEDIA_FETCH = Symbol('MEDIA_FETCH');
