import { copyFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where a nexrender worker leaves the rendered file and how we collect it. The worker's own output
 * path is local to its machine, so the job carries postrender actions that move the file somewhere
 * we can read, keyed by the job uid.
 */
export interface NexrenderOutputLocation {
  postrenderActions(jobUid: string, extension: string): Array<Record<string, unknown>>;
  /** Moves the finished file to `destPath` on this machine. */
  retrieve(jobUid: string, extension: string, destPath: string): Promise<void>;
}

/**
 * A directory both the workers and this service mount (e.g. NFS/SMB): the worker's standard
 * `@nexrender/action-copy` postrender action copies the result to `<dir>/<uid>.<ext>`, and
 * `retrieve` moves it into the render's work directory.
 */
export function sharedDirectoryOutput(dir: string): NexrenderOutputLocation {
  const pathOf = (uid: string, extension: string) => join(dir, `${uid}.${extension}`);
  return {
    postrenderActions: (uid, extension) => [{ module: '@nexrender/action-copy', output: pathOf(uid, extension) }],
    async retrieve(uid, extension, destPath) {
      await copyFile(pathOf(uid, extension), destPath);
      await unlink(pathOf(uid, extension));
    },
  };
}
