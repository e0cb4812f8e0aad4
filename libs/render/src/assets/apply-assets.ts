import { z } from 'zod';
import { toFieldIssues, type FieldIssue } from '@vrs/contracts';
import { AssetInjectionError } from '../render-input-error';
import type { Composition, Layer, Template } from '../template/template-schema';
import { summarise } from '../template/validate-template';
import { InjectedAsset, injectedAssetSchema } from './asset-schema';

/**
 * The named composition with the caller's assets injected: `data` assets replace a text layer's text,
 * media assets replace a layer's `src`. The template is not changed. Every problem is reported at once
 * as an `AssetInjectionError` whose fields follow the job body (`template.composition`, `assets[i].…`).
 */
export function applyAssets(template: Template, compositionName: string, assets: unknown[]): Composition {
  const base = Object.hasOwn(template.compositions, compositionName) ? template.compositions[compositionName] : undefined;
  if (!base) {
    const known = Object.keys(template.compositions)
      .map((n) => `"${n}"`)
      .join(', ');
    throw new AssetInjectionError(`Template "${template.name}" has no composition "${compositionName}"`, [
      { field: 'template.composition', message: `unknown composition "${compositionName}"; the template has ${known}` },
    ]);
  }
  const parsed = z.array(injectedAssetSchema).safeParse(assets, { error: (i) => (i.input === undefined ? 'is required' : undefined) });
  if (!parsed.success) throw invalid(toFieldIssues(parsed.error, { prefix: ['assets'], eachUnknownKey: true }));

  const layers = base.layers.map((layer) => ({ ...layer }));
  const errors = parsed.data.flatMap((asset, index) => inject(layers, asset, index, compositionName));
  if (errors.length) throw invalid(errors);
  return { ...base, background: { ...base.background }, layers };
}

function inject(layers: Layer[], asset: InjectedAsset, index: number, compositionName: string): FieldIssue[] {
  const layer = layers.find((l) => l.layerName === asset.layerName);
  if (!layer) {
    return [{ field: `assets[${index}].layerName`, message: `composition "${compositionName}" has no layer "${asset.layerName}"` }];
  }
  if (asset.type === 'data') {
    if (layer.type !== 'text') return [mismatch(index, layer, 'a data (Source Text) asset')];
    layer.text = asset.value;
    return [];
  }
  if (layer.type !== asset.type) return [mismatch(index, layer, `an asset of type ${asset.type}`)];
  layer.src = asset.src;
  return [];
}

function mismatch(index: number, layer: Layer, what: string): FieldIssue {
  return { field: `assets[${index}].type`, message: `layer "${layer.layerName}" has type ${layer.type}; ${what} cannot replace it` };
}

function invalid(details: FieldIssue[]): AssetInjectionError {
  return new AssetInjectionError(`The assets cannot be injected: ${summarise(details)}`, details);
}
