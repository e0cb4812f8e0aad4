import { AudioShape, GainSegment, LevelStage } from './finish-graph';
import { integratedLoudness, Loudness, MeterReading } from './loudness-meter';

export interface LoudnessTarget {
  /** Integrated loudness, LUFS. */
  integrated: number;
  /** Highest true peak, dBTP. */
  truePeak: number;
}

/** Where a clip plays in the joined file, in seconds from the file's start. */
export interface ClipSpan {
  startSec: number;
  durationSec: number;
}

/** AAC encoding raises true peaks by a few tenths of a dB; the level stage aims this far below the target. */
export const TRUE_PEAK_MARGIN_DB = 0.5;
/** Clips within this many LU of each other are left as they are: one gain for the whole does. */
const EVEN_ENOUGH_LU = 0.5;
/** A quiet clip is raised by at most this much, so a clip of room noise does not become a roar. */
const MAX_CLIP_BOOST_DB = 20;
/**
 * The copy join starts each clip's sound within half an AAC frame (512 samples) of its picture, so
 * around a cut the lower of the two gains applies: no clip's sound is ever raised by its neighbour's.
 */
const CUT_SLACK_SAMPLES = 576;

/**
 * Pure: gains that bring every clip with sound to the loudness of the whole join (one gain per clip,
 * so each keeps its own dynamics), as segments of the joined sound; gains glide across crossfades.
 * Undefined when the clips are already even. Clips without sound keep their level.
 */
export function clipGainSegments(readings: MeterReading[], clips: ClipSpan[], shape: AudioShape): GainSegment[] | undefined {
  const whole = integratedLoudness(readings);
  if (!Number.isFinite(whole)) return undefined;
  const gains = clips.map((clip, i) => {
    // Measured where the clip sounds alone: a crossfade's overlap holds its neighbour's sound too.
    const from = Math.max(clip.startSec, i > 0 ? clips[i - 1].startSec + clips[i - 1].durationSec : -Infinity);
    const to = Math.min(clip.startSec + clip.durationSec, clips[i + 1]?.startSec ?? Infinity);
    const own = integratedLoudness(readings, from, to);
    return Number.isFinite(own) ? Math.min(MAX_CLIP_BOOST_DB, whole - own) : 0;
  });
  if (Math.max(...gains) - Math.min(...gains) < EVEN_ENOUGH_LU) return undefined;

  const at = (sec: number) => Math.max(0, Math.min(shape.samples, Math.round((sec - shape.startSec) * shape.sampleRate)));
  const segments: GainSegment[] = [];
  const push = (from: number, to: number, fromDb: number, toDb: number) => {
    if (to <= from) return;
    const last = segments[segments.length - 1];
    if (last && fromDb === toDb && last.fromDb === fromDb && last.toDb === toDb) last.samples += to - from;
    else segments.push({ samples: to - from, fromDb, toDb });
  };
  let cursor = 0;
  clips.forEach((clip, i) => {
    const next = clips[i + 1];
    if (!next) return push(cursor, shape.samples, gains[i], gains[i]);
    const nextStart = Math.max(cursor, at(next.startSec));
    const end = at(clip.startSec + clip.durationSec);
    if (end > nextStart) {
      // A crossfade: the gain glides from this clip's to the next one's while both sound.
      push(cursor, nextStart, gains[i], gains[i]);
      push(nextStart, end, gains[i], gains[i + 1]);
      cursor = end;
      return;
    }
    const [from, to] = [Math.max(cursor, nextStart - CUT_SLACK_SAMPLES), Math.min(shape.samples, nextStart + CUT_SLACK_SAMPLES)];
    const lower = Math.min(gains[i], gains[i + 1]);
    push(cursor, from, gains[i], gains[i]);
    push(from, to, lower, lower);
    cursor = to;
  });
  return segments;
}

/** Pure: the level stage's first guess: the gain to the target, and a limiter when peaks would pass the ceiling. */
export function firstLevel(measured: Loudness, target: LoudnessTarget): LevelStage {
  const gainDb = target.integrated - measured.integratedLufs;
  const ceiling = target.truePeak - TRUE_PEAK_MARGIN_DB;
  return measured.truePeakDb + gainDb <= ceiling ? { gainDb } : { gainDb, limitDb: ceiling };
}

/**
 * Pure: the next gain to try once some were measured. Limiting takes away loudness, the more the harder
 * it works, so the loudness rises by at most the gain added: a secant through the last two tries
 * (its slope kept within 0.05..1), or the whole shortfall after one.
 */
export function nextGain(tries: Array<{ gainDb: number; integratedLufs: number }>, targetLufs: number): number {
  const last = tries[tries.length - 1];
  const before = tries[tries.length - 2];
  const slope =
    before && last.gainDb !== before.gainDb ? Math.max(0.05, Math.min(1, (last.integratedLufs - before.integratedLufs) / (last.gainDb - before.gainDb))) : 1;
  return last.gainDb + (targetLufs - last.integratedLufs) / slope;
}
