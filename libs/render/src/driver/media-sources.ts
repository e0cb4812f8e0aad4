import type { RenderRequest } from './render-driver';

export interface MediaSource {
  url: string;
  type: 'image' | 'video' | 'audio';
  field: string;
}

/**
 * Every media URL a render reads, each named as the caller wrote it: `assets[i].src` when the job
 * injected it, otherwise the template's own layer (`template layer "logo" (layers[1].src)`), so an
 * error points at what the caller can change. A URL used twice is listed once, at its first use.
 */
export function mediaSources(request: RenderRequest): MediaSource[] {
  const { background, layers } = request.composition;
  const sources: MediaSource[] = [];
  if (background.image) sources.push({ url: background.image, type: 'image', field: 'background.image' });
  if (background.video) sources.push({ url: background.video, type: 'video', field: 'background.video' });
  layers.forEach((layer, index) => {
    if (layer.type === 'text') return;
    const injected = request.assets.findIndex((asset) => asset.layerName === layer.layerName && asset.type !== 'data');
    const field = injected >= 0 ? `assets[${injected}].src` : `template layer "${layer.layerName}" (layers[${index}].src)`;
    sources.push({ url: layer.src, type: layer.type, field });
  });
  return sources.filter((source, i) => sources.findIndex((other) => other.url === source.url) === i);
}
