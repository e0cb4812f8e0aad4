import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkDirs } from './work-dirs';

describe('WorkDirs', () => {
  const root = mkdtempSync(join(tmpdir(), 'workdirs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes the folders of dead processes of this host and its own, and keeps live and foreign ones', async () => {
    const deadPid = spawnSync('true').pid!;
    const dead = join(root, `${hostname()}-${deadPid}`);
    const live = join(root, `${hostname()}-${process.ppid}`);
    const foreign = join(root, `other-host-${deadPid}`);
    const ownFromEarlierLife = join(root, `${hostname()}-${process.pid}`);
    for (const dir of [dead, live, foreign, ownFromEarlierLife]) mkdirSync(join(dir, 'job-1'), { recursive: true });

    const dirs = new WorkDirs(root);
    expect((await dirs.sweepDeadProcesses()).sort()).toEqual([`${hostname()}-${deadPid}`, `${hostname()}-${process.pid}`].sort());
    expect([existsSync(dead), existsSync(live), existsSync(foreign), existsSync(ownFromEarlierLife)]).toEqual([false, true, true, false]);
    expect(await dirs.create('job-2')).toContain(join(root, `${hostname()}-${process.pid}`, 'job-2-'));
  });
});
