import { STITCH_PHASES, type StitchProgressPhase } from '@vrs/contracts';

/**
 * Share of the whole stitch each phase takes, from measurements of typical jobs. `audio` (soundtrack,
 * loudness) and `stills` (poster, thumbnails) run only for joins that ask for them; other joins skip their share.
 */
const PHASE_WEIGHTS: Record<StitchProgressPhase, number> = {
  download: 0.25,
  probe: 0.05,
  normalise: 0.25,
  join: 0.15,
  verify: 0.05,
  audio: 0.1,
  stills: 0.05,
  store: 0.05,
  upload: 0.05,
};

/** How far the whole stitch is (0..1) when `phase` is `phaseFraction` done. */
export function stitchFraction(phase: StitchProgressPhase, phaseFraction: number): number {
  const before = STITCH_PHASES.slice(0, STITCH_PHASES.indexOf(phase)).reduce((sum, p) => sum + PHASE_WEIGHTS[p], 0);
  return Math.min(1, before + PHASE_WEIGHTS[phase] * Math.max(0, Math.min(1, phaseFraction)));
}
