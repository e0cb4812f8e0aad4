import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { OutputStorage } from './output-storage';

/**
 * Copies a stored output to a local file (streamed, so memory stays flat); the file appears at
 * `destPath` only when complete. For the platform's own hand-offs (a rendered clip to the stitcher),
 * which need not go through the public gateway. Throws OutputNotFoundError for a missing key.
 */
export async function readOutputToFile(storage: OutputStorage, key: string, destPath: string, signal?: AbortSignal): Promise<{ bytes: number }> {
  const tempPath = `${destPath}.part-${randomBytes(4).toString('hex')}`;
  let bytes = 0;
  try {
    const source = await storage.createReadStream(key);
    source.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    await pipeline(source, createWriteStream(tempPath), { signal });
    await rename(tempPath, destPath);
    return { bytes };
  } catch (error) {
    await unlink(tempPath).catch(() => undefined);
    throw error;
  }
}
