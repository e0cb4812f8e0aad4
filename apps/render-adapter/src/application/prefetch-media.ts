import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OutboundError } from '@vrs/net';
import { mediaSources, RenderInputError, type FetchMedia, type RenderRequest } from '@vrs/render';

/** The caller's media cannot be fetched for good (404, refused URL, too large): their input, not the renderer's fault. */
export class UnreachableMediaError extends RenderInputError {}

/**
 * Downloads every media URL of the composition before the renderer runs and hands the renderer
 * local copies. A permanent failure is the caller's bad input: it is reported at once and never
 * counts against the driver's breaker (which a render's own fetch errors would).
 */
export async function prefetchMedia(request: RenderRequest, dir: string, fetchOne: FetchMedia): Promise<FetchMedia> {
  const fields = new Map(mediaSources(request).map((source) => [source.url, source.field]));
  await mkdir(dir, { recursive: true });
  const local = new Map<string, string>();
  await Promise.all(
    [...fields].map(async ([url, field], index) => {
      const path = join(dir, `prefetched-${index}`);
      try {
        await fetchOne(url, path);
      } catch (error) {
        if (error instanceof OutboundError && !error.transient)
          throw new UnreachableMediaError(`The media for ${field} cannot be fetched: ${error.message}`, [{ field, message: error.message }]);
        throw error;
      }
      local.set(url, path);
    }),
  );
  return async (url, destPath) => {
    const path = local.get(url);
    if (path) await copyFile(path, destPath);
    else await fetchOne(url, destPath);
  };
}
