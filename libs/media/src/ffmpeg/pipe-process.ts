import { ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { FfmpegError, lastMeaningfulLine, supervise } from './ffmpeg-runner';

/** A process started before its input exists; `run` feeds it once and resolves with all of stdout. */
export interface PipeProcess {
  /** Writes `stdin`, and each of `extra` to file descriptor 3, 4, ..., then closes them all. */
  run(stdin: Buffer, ...extra: Buffer[]): Promise<Buffer>;
  /** Ends the process if `run` will never be called (no-op after it settles). */
  cancel(): void;
  /** The operating system's id of the process (absent when it could not start). */
  readonly pid?: number;
}

export interface PipeJob {
  /** Arguments after the tool's name; inputs must be `pipe:0` (or `pipe:3`... for `extraInputs`) and any output `pipe:1`. */
  args: string[];
  /** Further input pipes, at file descriptors 3, 4, ... (e.g. a filter script as `pipe:3`). */
  extraInputs?: number;
  /** The executable, when not the tool's own name on the PATH (e.g. a build of it for one format). */
  command?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export type Tool = 'ffmpeg' | 'ffprobe';
/** What a process is started with, before any job: the same command makes an interchangeable spare. */
type SpareCommand = Pick<PipeJob, 'args' | 'extraInputs' | 'command'>;

const MAX_PIPE_OUTPUT = 256 * 1024 * 1024;

/**
 * A started process and what it printed so far. It reads pipes only (`-protocol_whitelist pipe`), so
 * it may wait for its input as long as needed: its start-up (loading the codec libraries, ~50 ms of
 * CPU) is paid before the input exists.
 */
class PipedChild {
  readonly stdout: Buffer[] = [];
  stdoutBytes = 0;
  stderr = '';
  /** Set once the process has ended (or failed to start); its end is then told to `onEnd`. */
  ended?: { code: number | null; error?: Error };
  private onEnd: (end: { code: number | null; error?: Error }) => void = () => undefined;
  /** Told the size of stdout so far after each chunk. */
  onOutput: (bytes: number) => void = () => undefined;
  private readonly child: ChildProcess;
  readonly inputs: Writable[];

  constructor(
    readonly tool: Tool,
    { args, extraInputs = 0, command = tool }: SpareCommand,
  ) {
    this.child = spawn(command, ['-hide_banner', '-v', 'error', '-protocol_whitelist', 'pipe', ...args], {
      stdio: ['pipe', 'pipe', 'pipe', ...Array<'pipe'>(extraInputs).fill('pipe')],
    });
    this.inputs = [this.child.stdin, ...this.child.stdio.slice(3)] as Writable[];
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout.push(chunk);
      this.stdoutBytes += chunk.length;
      this.onOutput(this.stdoutBytes);
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    // The process may stop reading early (ffprobe has what it needs): that is not an error of ours.
    for (const input of this.inputs) input.on('error', () => undefined);
    const end = (code: number | null, error?: Error) => {
      if (this.ended) return;
      this.ended = { code, error };
      this.onEnd(this.ended);
    };
    this.child.on('error', (error) => end(null, error));
    this.child.on('close', (code) => end(code));
  }

  whenEnded(listener: (end: { code: number | null; error?: Error }) => void): void {
    this.onEnd = listener;
    if (this.ended) listener(this.ended);
  }

  /** Still waiting for its input: neither ended nor killed (the latter is known before `ended` is set). */
  get idle(): boolean {
    return !this.ended && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** A spare must not keep its service (or a test run) alive, nor count as work in progress. */
  setHeld(held: boolean): void {
    for (const handle of [this.child, ...this.child.stdio]) {
      const ref = handle as { ref?: () => void; unref?: () => void } | null;
      if (held) ref?.ref?.();
      else ref?.unref?.();
    }
  }
}

/** Watches a started process for one job: its own exit, the job's signal, its timeout or too much output. */
function superviseChild(piped: PipedChild, job: PipeJob): PipeProcess {
  let settle: (error?: Error) => void = () => undefined;
  const result = new Promise<Buffer>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve(Buffer.concat(piped.stdout)));
  });
  result.catch(() => undefined); // a cancelled process that nobody ran is not an unhandled rejection
  const { tool } = piped;
  const run = supervise(
    tool,
    job,
    () => piped.kill(),
    () => piped.stderr,
    (error) => settle(error),
  );
  piped.onOutput = (bytes) => {
    if (bytes > MAX_PIPE_OUTPUT) run.stop(`${tool} printed more than expected`);
  };
  piped.whenEnded(({ code, error }) => {
    if (error) run.finish(new FfmpegError(`${tool} could not start: ${error.message}`, piped.stderr));
    else if (code === 0) run.finish();
    else run.finish(new FfmpegError(`${tool} failed: ${lastMeaningfulLine(piped.stderr.split('\n')) ?? `exit code ${code}`}`, piped.stderr));
  });
  return {
    run(stdin, ...more) {
      [stdin, ...more].forEach((data, i) => piped.inputs[i]?.end(data));
      return result;
    },
    cancel() {
      if (!run.settled) run.stop(`${tool} was not needed`);
    },
    pid: piped.pid,
  };
}

/** One idle process per distinct command, started ahead. */
const spares = new Map<string, PipedChild>();

/**
 * ffmpeg or ffprobe for one job, reading pipes only: an idle process of the same command started
 * earlier when there is one, else a new one (its start-up then overlaps with preparing what it will
 * be fed). The next spare starts as soon as this one has ended, so that jobs one after the other
 * each find one. A stitch so waits for no start-up, only for the work; the CPU each start costs is
 * the same, spent while the job that used the last one finishes.
 */
export function takeWarmPipeProcess(tool: Tool, job: PipeJob): PipeProcess {
  const key = spareKey(tool, job);
  const spare = spares.get(key);
  spares.delete(key);
  const piped = spare?.idle ? spare : new PipedChild(tool, job);
  piped.setHeld(true);
  const process = superviseChild(piped, job);
  // Once: a caller may cancel (a no-op then) after its run has settled.
  let replaced = false;
  const done = (): void => {
    if (replaced) return;
    replaced = true;
    setImmediate(() => keepSpare(tool, job));
  };
  return {
    run: (stdin, ...more) => process.run(stdin, ...more).finally(done),
    cancel: () => {
      process.cancel();
      done();
    },
    pid: process.pid,
  };
}

/** Starts the spare of a command ahead of its first use (a service warming up), unless one is waiting. */
export function keepSpare(tool: Tool, job: SpareCommand): void {
  const key = spareKey(tool, job);
  if (spares.get(key)?.idle) return;
  const spare = new PipedChild(tool, job);
  spare.setHeld(false);
  // A spare that ends by itself (killed from outside) is passed over at the next take.
  spares.set(key, spare);
}

function spareKey(tool: Tool, job: SpareCommand): string {
  return JSON.stringify([job.command ?? tool, job.args, job.extraInputs ?? 0]);
}
