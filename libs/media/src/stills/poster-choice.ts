/** What one sampled picture looks like (ffmpeg's signalstats and entropy on a small copy of it). */
export interface FrameStats {
  timeSec: number;
  /** Mean luma, 0..255 (video range 16..235). */
  luma: number;
  /** Luma of the darkest and brightest 10 % of the pixels: their distance is the picture's contrast. */
  low: number;
  high: number;
  /** Normalised entropy of the luma, 0..1: how much the picture shows (0 for a flat one). */
  entropy: number;
  /** Mean luma difference to the previous sample: large during a cut, a fade or fast motion. */
  change: number;
}

export interface TimeRange {
  fromSec: number;
  toSec: number;
}

const MIN_LUMA = 40;
const MAX_LUMA = 225;
const MIN_CONTRAST = 40;
/** A sample this far (mean luma) from its neighbours is mid-change: a fade, a cut, a blur of motion. */
const MAX_CHANGE = 12;

/**
 * Pure: the time of the picture to use as a poster. A good one is lit (not black, not blown out), has
 * contrast, is steady (its neighbours look like it: not in a fade or a cut) and lies outside `avoid`
 * (the joins and their transitions); of those, the one that shows most (highest entropy), the earliest
 * on a tie. When no sample qualifies (a dark video), the one that shows most; undefined without samples.
 */
export function choosePosterTime(samples: FrameStats[], avoid: TimeRange[] = []): number | undefined {
  const steady = (i: number) => Math.max(samples[i].change, samples[i + 1]?.change ?? 0) <= MAX_CHANGE;
  const eligible = samples.filter(
    (s, i) =>
      s.luma >= MIN_LUMA &&
      s.luma <= MAX_LUMA &&
      s.high - s.low >= MIN_CONTRAST &&
      steady(i) &&
      !avoid.some((range) => s.timeSec >= range.fromSec && s.timeSec <= range.toSec),
  );
  const best = (list: FrameStats[]) => list.reduce<FrameStats | undefined>((top, s) => (!top || s.entropy > top.entropy ? s : top), undefined);
  return (best(eligible) ?? best(samples))?.timeSec;
}

/** Pure: per-sample stats from ffmpeg's `metadata=mode=print` lines (signalstats, entropy), in order. */
export function parseFrameStats(lines: string[]): FrameStats[] {
  const samples: FrameStats[] = [];
  let current: Partial<FrameStats> | undefined;
  const keys: Record<string, keyof FrameStats> = {
    'lavfi.signalstats.YAVG': 'luma',
    'lavfi.signalstats.YLOW': 'low',
    'lavfi.signalstats.YHIGH': 'high',
    'lavfi.signalstats.YDIF': 'change',
    'lavfi.entropy.normalized_entropy.normal.Y': 'entropy',
  };
  const complete = (s: Partial<FrameStats> | undefined): s is FrameStats =>
    !!s && ['timeSec', 'luma', 'low', 'high', 'entropy', 'change'].every((k) => Number.isFinite(s[k as keyof FrameStats]));
  for (const line of lines) {
    const time = /pts_time:(-?[\d.]+)/.exec(line);
    if (time) {
      if (complete(current)) samples.push(current);
      current = { timeSec: Number(time[1]) };
      continue;
    }
    const pair = /(lavfi\.[\w.]+)=(-?[\d.]+)/.exec(line);
    if (pair && current && keys[pair[1]]) current[keys[pair[1]]] = Number(pair[2]);
  }
  if (complete(current)) samples.push(current);
  return samples;
}
