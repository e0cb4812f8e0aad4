import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { isRunning, waitFor } from '@vrs/testing';
import { keepSpare, takeWarmPipeProcess } from './pipe-process';

// ffprobe reading an MP4 head from stdin, as the copy join's output check does; each test its own
// command (the -of option), so spares of one test never serve another.
const probe = (format: string) => ({ args: ['-f', 'mp4', '-show_format', '-of', format, '-i', 'pipe:0'] });
const run = promisify(execFile);

/** This process's children running ffprobe with `args`. */
function childrenRunning(args: string[]): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const ppid = Number(
          readFileSync(join('/proc', pid, 'stat'), 'utf8')
            .split(') ')[1]
            .split(' ')[1],
        );
        const argv = readFileSync(join('/proc', pid, 'cmdline'), 'utf8').split('\0');
        return ppid === process.pid && argv.join(' ').includes(args.join(' '));
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

/** `read()` once `ok` holds for it (within 5 s). */
const eventually = <T>(read: () => T, ok: (value: T) => boolean, what: string): Promise<T> =>
  waitFor(
    () => {
      const value = read();
      return ok(value) ? value : undefined;
    },
    5_000,
    what,
    25,
  );

/** Starts the spare of `command` and answers its process id once it runs. */
async function startSpare(command: { args: string[] }): Promise<number> {
  keepSpare('ffprobe', command);
  const [pid] = await eventually(
    () => childrenRunning(command.args),
    (pids) => pids.length === 1,
    'one spare running',
  );
  return pid;
}

describe('pipe processes started ahead (real ffprobe)', () => {
  it('hands over the spare started ahead, and starts the next one once it has ended', async () => {
    const command = probe('json=c=1');
    const spare = await startSpare(command);

    const taken = takeWarmPipeProcess('ffprobe', { ...command, timeoutMs: 10_000 });
    expect(taken.pid).toBe(spare);
    // Not an MP4: the process ends with ffprobe's own error, as a cold one would.
    await expect(taken.run(Buffer.from('not a video'))).rejects.toThrow('ffprobe failed');

    const [next] = await eventually(
      () => childrenRunning(command.args),
      (pids) => pids.length === 1 && pids[0] !== spare,
      'a new spare',
    );
    expect(next).not.toBe(spare);
    const again = takeWarmPipeProcess('ffprobe', command);
    expect(again.pid).toBe(next);
    again.cancel();
  });

  it('passes over a spare that died while it waited', async () => {
    const command = probe('json=c=0');
    const spare = await startSpare(command);
    process.kill(spare, 'SIGKILL');
    await eventually(
      () => isRunning(spare),
      (running) => !running,
      'the spare gone (reaped)',
    );

    const taken = takeWarmPipeProcess('ffprobe', command);
    expect(taken.pid).not.toBe(spare);
    await expect(taken.run(Buffer.from('not a video'))).rejects.toThrow('ffprobe failed');
  });

  it("stops a spare it took with the job's signal", async () => {
    const command = probe('flat');
    await startSpare(command);
    const controller = new AbortController();
    const taken = takeWarmPipeProcess('ffprobe', { ...command, signal: controller.signal });
    const pid = taken.pid!;
    controller.abort();
    await eventually(
      () => isRunning(pid),
      (running) => !running,
      'the taken process killed (reaped)',
    );
  });

  it('keeps no service alive, and dies with it', async () => {
    // A process that only leaves a spare behind must exit by itself; its spare must not outlive it.
    const [bundle] = buildSync({
      entryPoints: [join(__dirname, 'pipe-process.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      external: ['fluent-ffmpeg'],
    }).outputFiles;
    const script = `
      const module = { exports: {} };
      new Function('module', 'exports', 'require', ${JSON.stringify(bundle.text)})(module, module.exports, require);
      module.exports.keepSpare('ffprobe', ${JSON.stringify(probe('ini'))});
      setTimeout(() => console.log(require('node:child_process').execSync('pgrep -P ' + process.pid + ' ffprobe').toString().trim()), 500);
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { timeout: 20_000 });
    const spare = Number(stdout.trim());
    expect(spare).toBeGreaterThan(0);
    await eventually(
      () => isRunning(spare),
      (running) => !running,
      'the spare ended with its parent',
    );
  });
});
