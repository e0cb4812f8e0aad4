import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { logger } from '@vrs/observability';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Each process keeps its temporary files under `<root>/<host>-<pid>/`. A process killed outright
 * cannot clean up after itself, so at start a service removes the folders of dead processes of its
 * host, and its own (in a container the PID repeats after every restart); instances never touch
 * each other's live work.
 */
export class WorkDirs {
  private readonly root: string;
  private readonly own: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.own = join(this.root, `${hostname()}-${process.pid}`);
  }

  async sweepDeadProcesses(): Promise<string[]> {
    await mkdir(this.root, { recursive: true });
    const pattern = new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`);
    const removed: string[] = [];
    for (const entry of await readdir(this.root)) {
      const pid = Number(pattern.exec(entry)?.[1]);
      if (pid && (pid === process.pid || !isAlive(pid))) {
        await rm(join(this.root, entry), { recursive: true, force: true });
        removed.push(entry);
      }
    }
    if (removed.length) logger('work-dirs').info('removed temporary files of dead processes', { removed });
    return removed;
  }

  async create(jobId: string): Promise<string> {
    await mkdir(this.own, { recursive: true });
    return mkdtemp(join(this.own, `${jobId}-`));
  }
}

/** Nest provider of a service's WorkDirs, swept of dead processes' files before first use. */
export const workDirsProvider = (root: string) => ({
  provide: WorkDirs,
  useFactory: async () => {
    const dirs = new WorkDirs(root);
    await dirs.sweepDeadProcesses();
    return dirs;
  },
});
