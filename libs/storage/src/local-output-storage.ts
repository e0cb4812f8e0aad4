import { randomBytes } from 'node:crypto';
import { createReadStream as openReadStream } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { assertValidKey, assertValidRange, InvalidKeyError, OutputNotFoundError, type ByteRange, type OutputStorage } from './output-storage';

/** Outputs as files under `rootDir`, one file per key. */
export class LocalOutputStorage implements OutputStorage {
  private readonly root: string;

  constructor(rootDir: string) {
    this.root = resolve(rootDir);
  }

  async put(key: string, localPath: string, _contentType: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    // Link or copy next to the target, then rename: same filesystem, so readers see the old file or the whole new one.
    const temp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await linkOrCopy(localPath, temp);
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.statOrUndefined(key)) !== undefined;
  }

  async stat(key: string): Promise<{ size: number }> {
    const info = await this.statOrUndefined(key);
    if (!info) throw new OutputNotFoundError(key);
    return { size: info.size };
  }

  async createReadStream(key: string, range?: ByteRange): Promise<Readable> {
    if (range) assertValidRange(range);
    await this.stat(key);
    return openReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private async statOrUndefined(key: string) {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? info : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    const path = join(this.root, ...key.split('/'));
    // Belt and braces on top of the key rules: the path must stay inside the root.
    if (!path.startsWith(this.root + sep)) throw new InvalidKeyError(`"${key.slice(0, 100)}" points outside the storage root.`);
    return path;
  }
}

/**
 * A hard link when the file is on the storage's filesystem (no bytes moved: a stitched hour is
 * stored at once), a copy otherwise. The caller's file is finished (see OutputStorage.put).
 */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    await copyFile(from, to);
  }
}
