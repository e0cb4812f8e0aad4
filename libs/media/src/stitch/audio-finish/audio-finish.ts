import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '@vrs/observability';
import { FfmpegInput, runFfmpeg, runFfprobe } from '../../ffmpeg/ffmpeg-runner';
import { AAC_BITRATE } from '../output-target';
import { parseRational } from '../rational';
import { AudioShape, finishGraph, FinishPlan, LevelStage, SoundtrackMix } from './finish-graph';
import { Loudness, loudnessOf, measureLoudness, meterAudio, MeterReading } from './loudness-meter';
import { clipGainSegments, ClipSpan, firstLevel, LoudnessTarget, nextGain, TRUE_PEAK_MARGIN_DB } from './loudness-plan';
import { prepareSoundtrack } from './soundtrack';

export interface AudioFinishJob {
  /** The joined, verified file. */
  input: string;
  outputPath: string;
  /** Scratch space; the pass removes what it writes there. */
  workDir: string;
  /** Where each clip plays in the joined file (for evening their loudness). */
  clips: ClipSpan[];
  /** A local copy of the music. */
  soundtrack?: SoundtrackMix & { path: string };
  loudness?: LoudnessTarget;
  audioBitrate?: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface AudioFinishResult {
  /** The finished file's loudness as ebur128 measures it, when a target was asked. */
  loudness?: Loudness;
  warnings: string[];
}

/** The limited level is tried until this close to the target; the encoded file is accepted this close (the contract allows 1 LU). */
const AIM_LU = 0.2;
const ACCEPT_LU = 0.5;
/** Tries of the limited level on the uncompressed sound, and re-encodes if the encoded file misses. */
const MAX_LEVEL_TRIES = 4;
const MAX_ENCODES = 3;

const log = logger('audio-finish');

/**
 * The audio pass on a joined file: soundtrack mixed in, then loudness normalised (two-pass: measured
 * with ebur128, then one gain — limited to the true-peak ceiling only when the gain alone would pass
 * it), the video stream copied untouched. The encoded result is measured again, and corrected when
 * AAC moved it off the target.
 */
export async function finishAudio(job: AudioFinishJob): Promise<AudioFinishResult> {
  const scratch = await mkdtemp(join(job.workDir, 'audio-'));
  const progress = monotonic(job.onProgress);
  try {
    const shape = await probeShape(job.input, job.signal);
    const lengthSec = shape.samples / shape.sampleRate;
    const inputs: FfmpegInput[] = [{ source: job.input }];
    if (job.soundtrack) inputs.push(await prepareSoundtrack(job.soundtrack.path, shape, scratch, job.signal));
    const plan: FinishPlan = {
      shape,
      ...(job.soundtrack && { soundtrack: { volume: job.soundtrack.volume, fadeOutSec: job.soundtrack.fadeOutSec, duck: job.soundtrack.duck } }),
    };
    const meter = (p: FinishPlan, from: number, to: number) =>
      meterAudio({
        inputs,
        graph: finishGraph(p, 'measured'),
        label: 'measured',
        durationSec: lengthSec,
        signal: job.signal,
        onProgress: (f) => progress(from + f * (to - from)),
      });
    // The picture is read through an input of its own: ffmpeg 5.1 ends a graph fed by several inputs
    // early (by up to two AAC frames) when the input it copies video from ends.
    const encode = (p: FinishPlan, from: number, to: number) =>
      runFfmpeg({
        inputs: [...inputs, { source: job.input }],
        output: job.outputPath,
        outputOptions: [
          '-filter_complex',
          finishGraph(p, 'finished'),
          '-map',
          `${inputs.length}:v:0`,
          '-map',
          '[finished]',
          '-c:v',
          'copy',
          '-c:a',
          'aac',
          '-b:a',
          job.audioBitrate ?? AAC_BITRATE,
          '-movflags',
          '+faststart',
        ],
        expectedDurationSec: lengthSec,
        onProgress: (f) => progress(from + f * (to - from)),
        signal: job.signal,
      });

    if (!job.loudness) {
      await encode(plan, 0.1, 1);
      return { warnings: [] };
    }
    return await normaliseLoudness(plan, job.clips, job.loudness, {
      meter,
      encode,
      measureOutput: () => measureLoudness(job.outputPath, { durationSec: lengthSec, signal: job.signal, onProgress: (f) => progress(0.9 + f * 0.1) }),
    });
  } finally {
    progress(1);
    await rm(scratch, { recursive: true, force: true });
  }
}

interface Passes {
  /** Measures the plan's sound (nothing written); reports progress between `from` and `to`. */
  meter: (plan: FinishPlan, from: number, to: number) => Promise<MeterReading[]>;
  /** Writes the finished file from the plan. */
  encode: (plan: FinishPlan, from: number, to: number) => Promise<void>;
  measureOutput: () => Promise<Loudness>;
}

/** Loudness, after any soundtrack: per-clip gains, the level stage settled, encoded, measured, corrected. */
async function normaliseLoudness(plan: FinishPlan, clips: ClipSpan[], target: LoudnessTarget, passes: Passes): Promise<AudioFinishResult> {
  let readings: MeterReading[] | undefined;
  if (clips.length > 1) {
    readings = await passes.meter({ shape: plan.shape }, 0, 0.1);
    plan.clipGains = clipGainSegments(readings, clips, plan.shape);
  }
  const premix = loudnessOf(readings && !plan.clipGains && !plan.soundtrack ? readings : await passes.meter(plan, 0.1, 0.2));
  if (!Number.isFinite(premix.integratedLufs)) {
    await passes.encode({ ...plan, clipGains: undefined }, 0.2, 1);
    return { warnings: ['The joined sound is silent (nothing above -70 LUFS), so settings.loudness was not applied.'] };
  }
  let level = await settleLevel(premix, target, (tried) => passes.meter({ ...plan, level: tried }, 0.2, 0.3).then(loudnessOf));
  for (let encodes = 1; ; encodes++) {
    await passes.encode({ ...plan, level }, 0.3, 0.9);
    const measured = await passes.measureOutput();
    log.info('loudness measured', { target, measured, gainDb: level.gainDb, limitDb: level.limitDb, encodes });
    if (onTarget(measured, target)) return { loudness: measured, warnings: [] };
    if (encodes === MAX_ENCODES) {
      const missed = `The loudness came out at ${measured.integratedLufs.toFixed(1)} LUFS with true peak ${measured.truePeakDb.toFixed(1)} dBTP`;
      return { loudness: measured, warnings: [`${missed} (asked: ${target.integrated} LUFS, at most ${target.truePeak} dBTP).`] };
    }
    level = corrected(level, measured, target);
  }
}

/**
 * The gain (and limiter ceiling) for the level stage. Without limiting the loudness moves exactly with
 * the gain; with it, a few tries on the uncompressed sound (cheap: nothing is encoded) find the gain
 * that lands on the target.
 */
async function settleLevel(premix: Loudness, target: LoudnessTarget, tryLevel: (level: LevelStage) => Promise<Loudness>): Promise<LevelStage> {
  let level = firstLevel(premix, target);
  if (level.limitDb === undefined) return level;
  const tries: Array<{ gainDb: number; integratedLufs: number }> = [];
  for (let n = 0; n < MAX_LEVEL_TRIES; n++) {
    const result = await tryLevel(level);
    tries.push({ gainDb: level.gainDb, integratedLufs: result.integratedLufs });
    if (Math.abs(result.integratedLufs - target.integrated) <= AIM_LU) break;
    level = { ...level, gainDb: nextGain(tries, target.integrated) };
  }
  return level;
}

function onTarget(measured: Loudness, target: LoudnessTarget): boolean {
  return Math.abs(measured.integratedLufs - target.integrated) <= ACCEPT_LU && measured.truePeakDb <= target.truePeak;
}

/** After an encode that missed: the shortfall added to the gain, the ceiling lowered by any excess peak. */
function corrected(level: LevelStage, measured: Loudness, target: LoudnessTarget): LevelStage {
  const gainDb = level.gainDb + (target.integrated - measured.integratedLufs);
  const excessDb = measured.truePeakDb - target.truePeak;
  if (excessDb <= 0) return { ...level, gainDb };
  return { gainDb, limitDb: (level.limitDb ?? target.truePeak - TRUE_PEAK_MARGIN_DB) - excessDb - 0.1 };
}

/** The joined file's sound: rate, channels, exact length and start. */
async function probeShape(path: string, signal?: AbortSignal): Promise<AudioShape> {
  const out = await runFfprobe({
    input: path,
    args: ['-select_streams', 'a:0', '-show_entries', 'stream=sample_rate,channels,duration_ts,time_base,start_time', '-of', 'json'],
    signal,
  });
  const [stream] = (
    JSON.parse(out) as { streams: Array<{ sample_rate: string; channels: number; duration_ts: number; time_base: string; start_time?: string }> }
  ).streams;
  const sampleRate = Number(stream.sample_rate);
  const timeBase = parseRational(stream.time_base) ?? { num: 1, den: sampleRate };
  return {
    sampleRate,
    channels: stream.channels,
    samples: Math.round((stream.duration_ts * timeBase.num * sampleRate) / timeBase.den),
    startSec: Number(stream.start_time ?? 0) || 0,
  };
}

function monotonic(report?: (fraction: number) => void): (fraction: number) => void {
  let last = 0;
  return (fraction) => {
    if (!report || fraction <= last) return;
    last = Math.min(1, fraction);
    report(last);
  };
}
