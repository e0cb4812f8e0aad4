import type { RenderRequest } from '../driver/render-driver';
import { RenderSettingsError, TemplateValidationError } from '../render-input-error';
import type { NexrenderJob } from './nexrender-api';

/**
 * The nexrender job for a render request. Assets are passed as nexrender assets (our asset schema is
 * theirs); `frames` become `frameStart`/`frameEnd`; preview and draft use After Effects' stock
 * "Draft Settings" render template (half resolution), full quality "Best Settings"; the engine goes
 * into `tags` so a farm can route jobs to workers with that After Effects version.
 */
export function buildNexrenderJob(request: RenderRequest, uid: string, postrender: Array<Record<string, unknown>>): Omit<NexrenderJob, 'state'> {
  const config = request.nexrender;
  if (!config) {
    throw new TemplateValidationError(`Template "${request.templateName}" has no nexrender settings`, [
      { field: 'nexrender', message: 'is required when driver is "nexrender"' },
    ]);
  }
  const { settings } = request;
  if (settings.codec !== 'h264') {
    throw new RenderSettingsError('The After Effects renderer does not take a codec', [
      { field: 'settings.codec', message: 'is set by the template (nexrender.outputModule) for After Effects renders' },
    ]);
  }
  return {
    uid,
    template: {
      src: config.templateSrc,
      composition: config.compositions[request.compositionName] ?? request.compositionName,
      settingsTemplate: settings.speed === 'full' ? 'Best Settings' : 'Draft Settings',
      outputExt: config.outputExt,
      ...(config.outputModule ? { outputModule: config.outputModule } : {}),
      ...(settings.frames ? { frameStart: settings.frames.start, frameEnd: settings.frames.end } : {}),
    },
    assets: request.assets.map((asset) => ({ ...asset })),
    actions: { prerender: [], postrender },
    ...(settings.engine ? { tags: settings.engine } : {}),
  };
}
