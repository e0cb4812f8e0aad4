import { z } from 'zod';
import { renderSettings, toFieldIssues, type OutputCodec, type RenderEngine } from '@vrs/contracts';
import { RenderSettingsError } from '../render-input-error';
import type { Composition } from '../template/template-schema';
import { summarise } from '../template/validate-template';
import type { EncodeSpeed } from './output-codecs';

/** What a job body says about its render: the contract's `settings`, or `preview`. */
export const renderOptionsInputSchema = z.strictObject({
  preview: z.boolean({ error: 'preview must be true or false' }).optional(),
  settings: renderSettings.optional(),
});

export type RenderOptionsInput = z.input<typeof renderOptionsInputSchema>;

export interface RenderSettings {
  preview: boolean;
  quality: 'draft' | 'full';
  codec: OutputCodec;
  /** Passed through to drivers that choose an After Effects version (nexrender); the built-in renderer ignores it. */
  engine?: RenderEngine;
  /** Inclusive frame range to render; absent means the whole composition. */
  frames?: { start: number; end: number };
  speed: EncodeSpeed;
  /** Output size relative to the composition: previews render at half size. */
  scale: 1 | 0.5;
}

/**
 * Resolves `preview` / `settings` from a job body against the composition it renders.
 * `preview` and `settings` together are rejected (the public API says so), as is a frame range
 * outside the composition.
 */
export function resolveRenderSettings(input: RenderOptionsInput, composition: Composition): RenderSettings {
  const parsed = renderOptionsInputSchema.safeParse(input);
  if (!parsed.success) throw invalid(toFieldIssues(parsed.error, { eachUnknownKey: true }));
  const { preview, settings } = parsed.data;
  if (preview !== undefined && settings !== undefined) {
    throw invalid([{ field: 'preview', message: 'cannot be combined with settings; send either preview or settings' }]);
  }
  const frames = settings?.frames === undefined ? undefined : frameRange(settings.frames);
  const totalFrames = Math.round(composition.durationSec * composition.fps);
  if (frames && frames.start > frames.end) throw invalid([{ field: 'settings.frames', message: 'start must not be after end' }]);
  if (frames && frames.end >= totalFrames) {
    throw invalid([{ field: 'settings.frames', message: `the composition has frames 0..${totalFrames - 1}` }]);
  }
  const quality = settings?.quality ?? 'full';
  return {
    preview: preview === true,
    quality,
    codec: settings?.codec ?? 'h264',
    engine: settings?.engine,
    frames,
    speed: preview ? 'preview' : quality,
    scale: preview ? 0.5 : 1,
  };
}

function frameRange(frames: number | [number, number]): { start: number; end: number } {
  return typeof frames === 'number' ? { start: frames, end: frames } : { start: frames[0], end: frames[1] };
}

function invalid(details: Array<{ field: string; message: string }>): RenderSettingsError {
  return new RenderSettingsError(`The render settings are invalid: ${summarise(details)}`, details);
}
