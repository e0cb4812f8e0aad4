import { FfmpegInput, runFfmpeg } from '../../ffmpeg/ffmpeg-runner';

/**
 * One reading of ffmpeg's ebur128 meter, every 100 ms: the momentary loudness of the 400 ms block
 * ending at `endSec` and the highest true peak (linear, 4x oversampled) seen so far.
 */
export interface MeterReading {
  endSec: number;
  momentaryLufs: number;
  truePeak: number;
}

export interface Loudness {
  /** BS.1770 / EBU R128 integrated loudness; -Infinity when nothing is above the -70 LUFS gate. */
  integratedLufs: number;
  truePeakDb: number;
}

const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = 10;
const BLOCK_SEC = 0.4;
const STEP_SEC = 0.1;

/**
 * Pure: BS.1770-4 integrated loudness of the 400 ms blocks (75 % overlap, as ebur128 reads them)
 * lying wholly inside [fromSec, toSec): absolute gate at -70 LUFS, then relative gate 10 LU below
 * the mean of what passed.
 */
export function integratedLoudness(readings: MeterReading[], fromSec = 0, toSec = Infinity): number {
  const inside = readings.filter((r) => r.endSec - BLOCK_SEC >= fromSec - 1e-6 && r.endSec <= toSec + 1e-6);
  const audible = inside.map((r) => r.momentaryLufs).filter((lufs) => lufs > ABSOLUTE_GATE_LUFS);
  if (audible.length === 0) return -Infinity;
  const threshold = meanLoudness(audible) - RELATIVE_GATE_LU;
  return meanLoudness(audible.filter((lufs) => lufs > threshold));
}

function meanLoudness(blocks: number[]): number {
  const energy = blocks.reduce((sum, lufs) => sum + 10 ** ((lufs + 0.691) / 10), 0) / blocks.length;
  return -0.691 + 10 * Math.log10(energy);
}

/** Pure: the whole stream's loudness from its readings. */
export function loudnessOf(readings: MeterReading[]): Loudness {
  const peak = readings.reduce((max, r) => Math.max(max, r.truePeak), 0);
  return { integratedLufs: integratedLoudness(readings), truePeakDb: peak > 0 ? 20 * Math.log10(peak) : -Infinity };
}

/**
 * Pure: readings from ffmpeg's log of `ametadata=mode=print` after `ebur128=metadata=1:peak=true`
 * ("frame:N pts:P pts_time:T" then "lavfi.r128.KEY=VALUE" lines, each behind the filter's log prefix).
 */
export function parseMeterLog(lines: string[]): MeterReading[] {
  const readings: MeterReading[] = [];
  let current: Partial<MeterReading> & { startSec?: number } = {};
  const flush = () => {
    if (current.startSec !== undefined && current.momentaryLufs !== undefined && current.truePeak !== undefined) {
      readings.push({ endSec: current.startSec + STEP_SEC, momentaryLufs: current.momentaryLufs, truePeak: current.truePeak });
    }
  };
  for (const line of lines) {
    const frame = /\bframe:\d+\s+pts:\S+\s+pts_time:(\S+)/.exec(line);
    if (frame) {
      flush();
      current = { startSec: Number(frame[1]) };
      continue;
    }
    const value = /lavfi\.r128\.(M|true_peak)=(\S+)/.exec(line);
    if (value?.[1] === 'M') current.momentaryLufs = Number(value[2]);
    else if (value) current.truePeak = Number(value[2]);
  }
  flush();
  return readings;
}

export interface MeterJob {
  inputs: FfmpegInput[];
  /** A filter graph whose output `[label]` is the sound to measure. */
  graph: string;
  label: string;
  durationSec: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Runs the graph through ebur128 (true peak on) and returns its readings; nothing is written. */
export async function meterAudio(job: MeterJob): Promise<MeterReading[]> {
  const lines: string[] = [];
  await runFfmpeg({
    inputs: job.inputs,
    output: '-',
    outputOptions: [
      '-filter_complex',
      `${job.graph};[${job.label}]ebur128=metadata=1:peak=true,ametadata=mode=print[metered]`,
      '-map',
      '[metered]',
      '-f',
      'null',
    ],
    expectedDurationSec: job.durationSec,
    onProgress: job.onProgress,
    onStderr: (line) => {
      if (line.includes('lavfi.r128.') || line.includes('pts_time:')) lines.push(line);
    },
    signal: job.signal,
  });
  return parseMeterLog(lines);
}

/** A file's loudness (or a stretch's, from `fromSec` for `lengthSec`) as ebur128 reads its first audio stream. */
export async function measureLoudness(
  path: string,
  options: { fromSec?: number; lengthSec?: number; durationSec?: number; signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<Loudness> {
  const window = [...(options.fromSec ? ['-ss', String(options.fromSec)] : []), ...(options.lengthSec ? ['-t', String(options.lengthSec)] : [])];
  return loudnessOf(
    await meterAudio({
      inputs: [{ source: path, options: window }],
      graph: '[0:a:0]anull[sound]',
      label: 'sound',
      durationSec: options.lengthSec ?? options.durationSec ?? 0,
      signal: options.signal,
      onProgress: options.onProgress,
    }),
  );
}
