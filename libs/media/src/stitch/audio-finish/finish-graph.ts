/** The joined file's sound, which the finished sound keeps: rate, channels and exact length. */
export interface AudioShape {
  sampleRate: number;
  channels: number;
  /** Samples per channel of the joined sound. */
  samples: number;
  /** When its first sample plays (relative to the file's start); kept, so the picture stays in sync. */
  startSec: number;
}

/** A stretch of the joined sound and its gain in dB: steady, or ramped across a crossfade. */
export interface GainSegment {
  samples: number;
  fromDb: number;
  toDb: number;
}

export interface SoundtrackMix {
  /** Linear gain of the music, 0..1. */
  volume: number;
  fadeOutSec: number;
  /** Lowered under the clips' own sound (sidechain compression keyed by it). */
  duck: boolean;
}

/** The last stage's gain, and the true-peak ceiling of the limiter when the gain alone would exceed it. */
export interface LevelStage {
  gainDb: number;
  limitDb?: number;
}

export interface FinishPlan {
  shape: AudioShape;
  /** Per-clip gains that bring each clip to one loudness before anything is mixed in. */
  clipGains?: GainSegment[];
  /** Mixed from input 1 (raw PCM in the joined sound's shape). */
  soundtrack?: SoundtrackMix;
  level?: LevelStage;
}

/**
 * Ducking: under sound from the clips the music drops by about 7/8 of how far the clips are above
 * -36 dBFS (speech at -16 LUFS: ~17 dB), coming back over 0.4 s in pauses.
 */
const DUCK = 'sidechaincompress=threshold=0.015:ratio=8:attack=20:release=400:link=maximum';
/** True-peak limiting works on the 4x oversampled sound, the resolution ebur128 measures true peak at. */
const OVERSAMPLE = 4;
/** Below a 0 dBFS ceiling, a mix asked for no loudness target still never clips. */
const CLIP_GUARD = 'alimiter=limit=1:attack=5:release=50:level=0:latency=1';

export function channelLayout(channels: number): string {
  return channels === 1 ? 'mono' : channels === 2 ? 'stereo' : `${channels}c`;
}

export function formatFilter(shape: AudioShape): string {
  return `aformat=sample_fmts=fltp:sample_rates=${shape.sampleRate}:channel_layouts=${channelLayout(shape.channels)}`;
}

/**
 * Pure: the filter graph from the joined file's sound (input 0) and the music (input 1) to `[output]`:
 * per-clip gains, then the music mixed in (looped or trimmed upstream, at its volume, ducked, faded
 * out), then the level stage. The result has exactly the joined sound's rate, channels and length.
 */
export function finishGraph(plan: FinishPlan, output: string): string {
  const { shape } = plan;
  const lines: string[] = [];
  let current = 'clips';
  lines.push(`[0:a:0]${formatFilter(shape)}[${current}]`);
  if (plan.clipGains && plan.clipGains.length > 0) current = applyClipGains(lines, current, plan.clipGains, shape);
  if (plan.soundtrack) current = mixSoundtrack(lines, current, plan.soundtrack, shape);
  const tail = [
    ...(plan.level ? levelFilters(plan.level, shape.sampleRate) : []),
    ...(plan.soundtrack && !plan.level ? [CLIP_GUARD] : []),
    formatFilter(shape),
    // The decoder also returns the last AAC frame's padding, which the joined file's index hides.
    `atrim=end_sample=${shape.samples}`,
  ];
  lines.push(`[${current}]${tail.join(',')}[${output}]`);
  return lines.join(';\n');
}

function applyClipGains(lines: string[], input: string, segments: GainSegment[], { sampleRate, startSec }: AudioShape): string {
  const cuts: number[] = [];
  segments.slice(0, -1).reduce((end, segment) => {
    cuts.push(end + segment.samples);
    return end + segment.samples;
  }, 0);
  const parts = segments.map((_, i) => `part${i}`);
  lines.push(cuts.length > 0 ? `[${input}]asegment=samples=${cuts.join('|')}${parts.map((p) => `[${p}]`).join('')}` : `[${input}]anull[${parts[0]}]`);
  // concat expects every part to start at zero; the joined sound's own start is restored after it.
  segments.forEach((segment, i) => lines.push(`[${parts[i]}]asetpts=PTS-STARTPTS,${gainFilter(segment, sampleRate)}[gained${i}]`));
  const restart = startSec !== 0 ? `,asetpts=PTS+${startSec.toFixed(6)}/TB` : '';
  lines.push(`${parts.map((_, i) => `[gained${i}]`).join('')}concat=n=${parts.length}:v=0:a=1${restart}[evened]`);
  return 'evened';
}

function gainFilter(segment: GainSegment, sampleRate: number): string {
  if (segment.fromDb === segment.toDb) return `volume=${db(segment.fromDb)}dB`;
  // Across a crossfade the gain glides from one clip's to the next's, in 64-sample (1.3 ms at 48 kHz) steps.
  const lengthSec = segment.samples / sampleRate;
  const gain = `${db(segment.fromDb)}+(${db(segment.toDb - segment.fromDb)})*t/${lengthSec.toFixed(6)}`;
  return `asetnsamples=n=64:p=0,volume=eval=frame:volume='pow(10,(${gain})/20)'`;
}

function mixSoundtrack(lines: string[], input: string, mix: SoundtrackMix, shape: AudioShape): string {
  const lengthSec = shape.samples / shape.sampleRate;
  const fadeSec = Math.min(mix.fadeOutSec, lengthSec);
  const music = [
    formatFilter(shape),
    `atrim=end_sample=${shape.samples}`,
    `volume=${mix.volume}`,
    ...(fadeSec > 0 ? [`afade=t=out:st=${(lengthSec - fadeSec).toFixed(6)}:d=${fadeSec.toFixed(6)}`] : []),
  ];
  if (mix.duck) {
    lines.push(`[${input}]asplit=2[voice][key]`);
    lines.push(`[1:a:0]${music.join(',')}[music]`);
    lines.push(`[music][key]${DUCK}[ducked]`);
    lines.push('[voice][ducked]amix=inputs=2:duration=first:normalize=0[mixed]');
  } else {
    lines.push(`[1:a:0]${music.join(',')}[music]`);
    lines.push(`[${input}][music]amix=inputs=2:duration=first:normalize=0[mixed]`);
  }
  return 'mixed';
}

function levelFilters(level: LevelStage, sampleRate: number): string[] {
  const gain = `volume=${db(level.gainDb)}dB`;
  if (level.limitDb === undefined) return [gain];
  const ceiling = 10 ** (level.limitDb / 20);
  return [
    gain,
    `aresample=${sampleRate * OVERSAMPLE}`,
    `alimiter=limit=${ceiling.toFixed(6)}:attack=1:release=100:level=0:latency=1`,
    `aresample=${sampleRate}`,
  ];
}

function db(value: number): string {
  return value.toFixed(3);
}
