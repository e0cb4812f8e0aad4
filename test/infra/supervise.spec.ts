import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '@vrs/testing';

const SUPERVISE = resolve(__dirname, '../../scripts/supervise.sh');

/** Runs scripts/supervise.sh around `script` (bash); answers its exit code and what it printed. */
function supervise(dir: string, script: string): { done: Promise<{ code: number | null; stdout: string }> } {
  let stdout = '';
  const child = execFile('bash', [SUPERVISE, join(dir, 'pid'), 'bash', '-c', script], { cwd: dir });
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  return { done: new Promise((done) => child.on('exit', (code) => done({ code, stdout }))) };
}

describe('scripts/supervise.sh (how services.sh runs each instance)', () => {
  it('starts the instance again each time it exits with 75, and ends with any other exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supervise-'));
    // Exits 75 twice, then 3: three runs in all.
    const { done } = supervise(dir, 'n=$(cat runs 2>/dev/null || echo 0); echo $((n + 1)) > runs; [ "$n" -lt 2 ] && exit 75; exit 3');
    const { code, stdout } = await done;
    expect(code).toBe(3);
    expect(readFileSync(join(dir, 'runs'), 'utf8').trim()).toBe('3');
    expect(stdout.match(/asked for a fresh start/g)).toHaveLength(2);
  }, 20_000);

  it('keeps the running instance’s pid in the pid file, and does not restart an instance that was killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supervise-'));
    const { done } = supervise(dir, 'echo $$ > own-pid; exec sleep 30');
    const pid = await waitFor(
      () => {
        try {
          const [file, own] = [readFileSync(join(dir, 'pid'), 'utf8').trim(), readFileSync(join(dir, 'own-pid'), 'utf8').trim()];
          return file && file === own ? Number(file) : undefined;
        } catch {
          return undefined;
        }
      },
      10_000,
      'the pid file to name the instance',
    );
    process.kill(pid, 'SIGKILL');
    const { code, stdout } = await done;
    expect(code).toBe(137);
    expect(stdout).not.toContain('fresh start');
  }, 20_000);
});
