import { spawn } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';

/**
 * With pipe-process.ts (processes fed through pipes), the one place that starts ffmpeg and ffprobe.
 * fluent-ffmpeg (archived upstream) is used only here, always with argument arrays and never through
 * a shell, so it can be swapped in one place.
 *
 * Inputs read local files only (`-protocol_whitelist file`) unless the caller names another
 * format (lavfi sources), so a media file cannot make ffmpeg open URLs or other local paths.
 */
export interface FfmpegInput {
  /** A local file path, or a lavfi graph when `format` is `lavfi`. */
  source: string;
  /** Options placed before `-i` (e.g. `['-ss', '2']`). */
  options?: string[];
  format?: 'lavfi' | 'concat';
}

export interface FfmpegJob {
  inputs: FfmpegInput[];
  output: string;
  /** Options placed before the output path (codecs, maps, filters). */
  outputOptions: string[];
  /** Expected output duration in seconds, to turn ffmpeg's time into a 0..1 fraction. */
  expectedDurationSec?: number;
  onProgress?: (fraction: number) => void;
  /** Every stderr line, for runs whose diagnostics are the result. */
  onStderr?: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'FfmpegError';
  }
}

const STDERR_TAIL_LINES = 20;

function applyOptions(apply: (...opts: string[]) => unknown, options: string[]): void {
  // fluent-ffmpeg splits a lone array element on spaces; passing the options as separate
  // arguments keeps each one intact (filter graphs, paths with spaces).
  if (options.length === 1) apply(options[0], '');
  if (options.length > 1) apply(...options);
}

function inputOptions(input: FfmpegInput): string[] {
  const options = [...(input.options ?? [])];
  if (input.format === 'lavfi') return ['-f', 'lavfi', ...options];
  if (input.format === 'concat') return ['-f', 'concat', '-safe', '0', '-protocol_whitelist', 'file', ...options];
  return ['-protocol_whitelist', 'file', ...options];
}

function parseTimemark(timemark: string | undefined): number | undefined {
  const match = /^(-?\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(timemark ?? '');
  if (!match) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

interface Supervision {
  /** Settles the run once: with `error`, or successfully. */
  finish(error?: Error): void;
  /** Kills the process and fails the run with `reason`. */
  stop(reason: string): void;
  readonly settled: boolean;
}

/** One process's end: its own exit, a cancel through `signal`, or `timeoutMs` — whichever comes first, once. */
export function supervise(
  tool: 'ffmpeg' | 'ffprobe',
  job: { signal?: AbortSignal; timeoutMs?: number },
  kill: () => void,
  stderrTail: () => string,
  settle: (error?: Error) => void,
): Supervision {
  let settled = false;
  const finish = (error?: Error) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    job.signal?.removeEventListener('abort', onAbort);
    settle(error);
  };
  const stop = (reason: string) => {
    kill();
    finish(new FfmpegError(reason, stderrTail()));
  };
  const onAbort = () => stop(`${tool} was cancelled`);
  const timer = job.timeoutMs ? setTimeout(() => stop(`${tool} timed out after ${job.timeoutMs} ms`), job.timeoutMs) : undefined;
  if (job.signal?.aborted) onAbort();
  else job.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    finish,
    stop,
    get settled() {
      return settled;
    },
  };
}

/** Runs one ffmpeg command to completion; rejects with the tail of stderr on failure. */
export function runFfmpeg(job: FfmpegJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const command = ffmpeg();
    for (const input of job.inputs) {
      command.input(input.source);
      applyOptions((...o) => command.inputOptions(...(o.filter((x) => x !== '') as [string])), inputOptions(input));
    }
    command.output(job.output);
    applyOptions((...o) => command.outputOptions(...(o.filter((x) => x !== '') as [string])), ['-nostdin', '-hide_banner', '-y', ...job.outputOptions]);

    const stderr: string[] = [];
    const run = supervise(
      'ffmpeg',
      job,
      () => command.kill('SIGKILL'),
      () => stderr.join('\n'),
      (error) => (error ? reject(error) : resolve()),
    );
    if (run.settled) return;

    command
      .on('stderr', (line: string) => {
        job.onStderr?.(line);
        stderr.push(line);
        if (stderr.length > STDERR_TAIL_LINES) stderr.shift();
      })
      .on('progress', (progress: { timemark?: string }) => {
        const seconds = parseTimemark(progress.timemark);
        if (job.onProgress && job.expectedDurationSec && seconds !== undefined) {
          job.onProgress(Math.max(0, Math.min(1, seconds / job.expectedDurationSec)));
        }
      })
      .on('error', (error: Error) => run.finish(new FfmpegError(`ffmpeg failed: ${lastMeaningfulLine(stderr) ?? error.message}`, stderr.join('\n'))))
      .on('end', () => run.finish())
      .run();
  });
}

export function lastMeaningfulLine(lines: string[]): string | undefined {
  return [...lines]
    .reverse()
    .find((line) => line.trim() && !line.startsWith('  '))
    ?.trim();
}

/** ffprobe's JSON view (format + streams) of a local file; never follows URLs or playlists. */
export function ffprobeJson(path: string, timeoutMs = 30_000): Promise<ffmpeg.FfprobeData> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new FfmpegError(`ffprobe timed out after ${timeoutMs} ms`, '')), timeoutMs);
    ffmpeg.ffprobe(path, ['-protocol_whitelist', 'file'], (error, data) => {
      clearTimeout(timer);
      if (error) reject(new FfmpegError(`ffprobe failed: ${String(error.message).split('\n').filter(Boolean).pop()}`, String(error.message)));
      else resolve(data);
    });
  });
}

export interface FfprobeJob {
  /** A local file path; read with the file protocol only. */
  input: string;
  /** ffprobe options such as `['-show_entries', 'packet=dts', '-of', 'csv']`. */
  args: string[];
  /** Receives stdout line by line instead of buffering it (for packet scans of large files). */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const MAX_BUFFERED_STDOUT = 16 * 1024 * 1024;

/** Runs ffprobe with explicit arguments; resolves with stdout (empty when `onLine` consumes it). */
export function runFfprobe(job: FfprobeJob): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffprobe', ['-v', 'error', '-protocol_whitelist', 'file', ...job.args, '-i', job.input], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let partial = '';
    let stderr = '';
    const run = supervise(
      'ffprobe',
      job,
      () => child.kill('SIGKILL'),
      () => stderr,
      (error) => (error ? reject(error) : resolve(stdout)),
    );

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (!job.onLine) {
        stdout += chunk;
        if (stdout.length > MAX_BUFFERED_STDOUT) run.stop('ffprobe printed more than expected');
        return;
      }
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) job.onLine(line);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (error) => run.finish(new FfmpegError(`ffprobe could not start: ${error.message}`, stderr)));
    child.on('close', (code) => {
      if (partial && job.onLine) job.onLine(partial);
      if (code === 0) run.finish();
      else run.finish(new FfmpegError(`ffprobe failed: ${lastMeaningfulLine(stderr.split('\n')) ?? `exit code ${code}`}`, stderr));
    });
  });
}
