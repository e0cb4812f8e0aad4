import { applyAssets } from '../assets/apply-assets';
import { injectedAssetSchema } from '../assets/asset-schema';
import { RenderOptionsInput, resolveRenderSettings } from '../settings/render-settings';
import type { Template } from '../template/template-schema';
import type { FetchMedia, RenderRequest } from './render-driver';

export interface RenderJobInput extends RenderOptionsInput {
  compositionName: string;
  assets?: unknown[];
}

/**
 * Turns a validated template and a job's composition name, assets and preview/settings into a
 * `RenderRequest`; throws a `RenderInputError` subclass (a 400) when any of them is wrong.
 */
export function buildRenderRequest(template: Template, job: RenderJobInput, fetchMedia: FetchMedia): RenderRequest {
  const assets = job.assets ?? [];
  const composition = applyAssets(template, job.compositionName, assets);
  return {
    templateName: template.name,
    compositionName: job.compositionName,
    composition,
    // applyAssets has validated them, so this parse cannot fail.
    assets: assets.map((a) => injectedAssetSchema.parse(a)),
    settings: resolveRenderSettings({ preview: job.preview, settings: job.settings }, composition),
    nexrender: template.nexrender,
    fetchMedia,
  };
}
