import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '@vrs/media';
import { logger } from '@vrs/observability';
import { mediaSources } from '../driver/media-sources';
import type { RenderContext, RenderDriver, RenderRequest, RenderResult } from '../driver/render-driver';
import { buildCompositionCommand, PreparedComposition } from './composition-graph';
import { LocalMedia, LocalMediaCache } from './local-media';

const log = logger('render.builtin');

/** Draws compositions with ffmpeg alone (no After Effects): one ffmpeg command per render. */
export function createBuiltinDriver(): RenderDriver {
  return {
    name: 'builtin',
    async render(request: RenderRequest, ctx: RenderContext): Promise<RenderResult> {
      const prepared = await prepare(request, ctx.workDir);
      const command = buildCompositionCommand(prepared, request.settings);
      const outputPath = join(ctx.workDir, 'output.mp4');
      log.info('rendering composition', { template: request.templateName, composition: request.compositionName, outputPath });
      await runFfmpeg({
        inputs: command.inputs,
        output: outputPath,
        outputOptions: command.outputOptions,
        expectedDurationSec: command.outputDurationSec,
        onProgress: ctx.onProgress,
        signal: ctx.signal,
      });
      ctx.onProgress(1);
      return { outputPath, durationSec: command.outputDurationSec };
    },
  };
}

/** Downloads the media the composition uses and writes each text to its own file for drawtext. */
async function prepare(request: RenderRequest, workDir: string): Promise<PreparedComposition> {
  const { composition } = request;
  const media = new LocalMediaCache(workDir, request.fetchMedia);
  const fieldOf = new Map(mediaSources(request).map((source) => [source.url, source.field]));
  const { image, video } = composition.background;
  const background = image ? media.get(image, 'image', 'background.image') : video ? media.get(video, 'video', 'background.video') : undefined;
  const layerMedia = new Map<number, LocalMedia>();
  const textFiles = new Map<number, string>();
  // allSettled: a failed download must not leave the others writing into the work directory after
  // the render has given up (a retry may reuse it); the error reported is the first in template order.
  const [backgroundResult, ...layerResults] = await Promise.allSettled([
    background,
    ...composition.layers.map(async (layer, index) => {
      if (layer.type !== 'text') {
        layerMedia.set(index, await media.get(layer.src, layer.type, fieldOf.get(layer.src)!));
      } else if (layer.text !== '') {
        // drawtext reads the text from this file, so user text never becomes filter-graph syntax.
        const path = join(workDir, `text-${index}.txt`);
        await writeFile(path, layer.text, 'utf8');
        textFiles.set(index, path);
      }
    }),
  ]);
  const failed = [backgroundResult, ...layerResults].find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  const backgroundMedia = backgroundResult.status === 'fulfilled' ? backgroundResult.value : undefined;
  return { composition, background: backgroundMedia, layerMedia, textFiles };
}
