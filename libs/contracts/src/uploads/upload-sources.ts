import { uploadIdIn } from './uploads';

/** Where an `upload://` source sits in a job's assets: its path (`assets[1].assets[0].src` as a list) and the upload id. */
export interface UploadSourceRef {
  path: Array<string | number>;
  uploadId: string;
}

/** Every `upload://` source among these assets, nested job assets included. */
export function uploadSourcesIn(assets: readonly unknown[], path: Array<string | number> = ['assets']): UploadSourceRef[] {
  return assets.flatMap((asset, index) => {
    if (typeof asset !== 'object' || asset === null) return [];
    const { src, assets: nested } = asset as { src?: unknown; assets?: unknown };
    const here = [...path, index];
    const own = typeof src === 'string' && uploadIdIn(src) !== undefined ? [{ path: [...here, 'src'], uploadId: uploadIdIn(src)! }] : [];
    return Array.isArray(nested) ? [...own, ...uploadSourcesIn(nested, [...here, 'assets'])] : own;
  });
}

/** A copy of the assets with each `upload://` source replaced by what `resolve` gives for its id. */
export function replaceUploadSources<T>(assets: T[], resolve: (uploadId: string) => string): T[] {
  return assets.map((asset) => {
    if (typeof asset !== 'object' || asset === null) return asset;
    const { src, assets: nested } = asset as { src?: unknown; assets?: unknown };
    const id = typeof src === 'string' ? uploadIdIn(src) : undefined;
    return {
      ...asset,
      ...(id ? { src: resolve(id) } : {}),
      ...(Array.isArray(nested) ? { assets: replaceUploadSources(nested, resolve) } : {}),
    };
  });
}

/** A join body's `upload://` sources: its clips', and its soundtrack's (`settings.soundtrack.src`). */
export function uploadSourcesInJoin(body: { assets: readonly unknown[]; settings?: { soundtrack?: { src: string } } }): UploadSourceRef[] {
  const soundtrack = body.settings?.soundtrack?.src;
  const uploadId = soundtrack === undefined ? undefined : uploadIdIn(soundtrack);
  return [...uploadSourcesIn(body.assets), ...(uploadId ? [{ path: ['settings', 'soundtrack', 'src'], uploadId }] : [])];
}

/** A copy of the join body with each `upload://` source (clips and soundtrack) replaced by what `resolve` gives for its id. */
export function replaceUploadSourcesInJoin<T extends { assets: unknown[]; settings?: { soundtrack?: { src: string } } }>(
  body: T,
  resolve: (uploadId: string) => string,
): T {
  const soundtrack = body.settings?.soundtrack;
  const uploadId = soundtrack && uploadIdIn(soundtrack.src);
  return {
    ...body,
    assets: replaceUploadSources(body.assets, resolve),
    ...(uploadId ? { settings: { ...body.settings, soundtrack: { ...soundtrack, src: resolve(uploadId) } } } : {}),
  };
}
