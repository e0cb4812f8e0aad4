import type { z } from 'zod';
import type { Composition, Layer } from './template-schema';

type Issue = { path: PropertyKey[]; message: string };

/** Rules that need the whole composition: frame bounds, timing within the duration, unique layer names. */
export function checkComposition(composition: Composition, ctx: z.RefinementCtx): void {
  const issues: Issue[] = [];
  if (Math.round(composition.durationSec * composition.fps) < 1) {
    issues.push({ path: ['durationSec'], message: 'is shorter than one frame' });
  }
  const seen = new Set<string>();
  composition.layers.forEach((layer, index) => {
    const at = (field: string) => ['layers', index, field];
    if (seen.has(layer.layerName)) issues.push({ path: at('layerName'), message: `duplicates layer name "${layer.layerName}"` });
    seen.add(layer.layerName);
    issues.push(...positionIssues(layer, composition).map((i) => ({ ...i, path: at(i.field) })));
    issues.push(...timingIssues(layer, composition.durationSec).map((i) => ({ ...i, path: at(i.field) })));
  });
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}

function positionIssues(layer: Layer, composition: Composition): Array<{ field: string; message: string }> {
  if (layer.type === 'audio') return [];
  const issues: Array<{ field: string; message: string }> = [];
  if (typeof layer.x === 'number' && (layer.x < 0 || layer.x >= composition.width)) {
    issues.push({ field: 'x', message: `${layer.x} is outside the frame (0..${composition.width - 1})` });
  }
  if (typeof layer.y === 'number' && (layer.y < 0 || layer.y >= composition.height)) {
    issues.push({ field: 'y', message: `${layer.y} is outside the frame (0..${composition.height - 1})` });
  }
  return issues;
}

function timingIssues(layer: Layer, durationSec: number): Array<{ field: string; message: string }> {
  const start = layer.start ?? 0;
  const end = layer.end ?? durationSec;
  if (start >= durationSec) return [{ field: 'start', message: `${start} s is not before the composition ends (${durationSec} s)` }];
  if (end > durationSec) return [{ field: 'end', message: `${end} s is after the composition ends (${durationSec} s)` }];
  if (end <= start) return [{ field: 'end', message: `must be after start (${start} s)` }];
  const fades = (layer.fadeInSec ?? 0) + (layer.fadeOutSec ?? 0);
  if (fades > end - start) return [{ field: 'fadeOutSec', message: `fade in + fade out (${fades} s) is longer than the layer is shown (${end - start} s)` }];
  return [];
}
