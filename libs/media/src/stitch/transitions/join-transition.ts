import type { TransitionSpec, TransitionType } from '@vrs/contracts';
import { MediaError } from '../media-error';
import { Rational, toNumber } from '../rational';

/**
 * How one join changes from a cut: `crossfade` overlaps the clips by `durationSec` (picture and sound
 * mix; the output is that much shorter), `fade` goes through black: the first clip fades out over the
 * first half of `durationSec`, the next fades in over the second half (no overlap).
 */
export interface JoinTransition {
  type: TransitionType;
  durationSec: number;
  /** The request field it comes from, named in errors: `settings.transition` or `assets[2].transition`. */
  field: string;
}

/** One entry per join (join k is between clip k and clip k + 1); undefined is a cut. */
export type JoinTransitions = Array<JoinTransition | undefined>;

/** A transition in whole frames of the output. */
export interface TransitionFrames {
  type: JoinTransition['type'];
  /** Crossfade: frames the two clips share (the output is shorter by them); fade: 0. */
  overlap: number;
  /** Frames at the end of the clip before the join, and at the start of the clip after, that the transition changes. */
  before: number;
  after: number;
  /** Fade: frames fading out (the last of them black) and fading in (the first black). */
  fadeFrames: number;
}

/** Frames of pieces laid end to end with the transitions between them: their sum less the crossfades' overlaps. */
export function joinedFrames(lengths: number[], joins: Array<TransitionFrames | undefined>): number {
  return lengths.reduce((sum, n) => sum + n, 0) - joins.reduce((sum, j) => sum + (j?.overlap ?? 0), 0);
}

export function hasTransitions(transitions: JoinTransitions | undefined): transitions is JoinTransitions {
  return !!transitions && transitions.some((t) => t !== undefined);
}

/**
 * Pure: the transition of each join. A clip's own (the asset's `transition`) wins over the job's
 * `settings.transition`; on the last clip there is no next join, which the request checks reject.
 */
export function joinTransitions(clipCount: number, all?: TransitionSpec, perClip: ReadonlyArray<TransitionSpec | undefined> = []): JoinTransitions {
  return Array.from({ length: Math.max(0, clipCount - 1) }, (_, k) => {
    const own = perClip[k];
    if (own) return { type: own.type, durationSec: own.duration, field: `assets[${k}].transition` };
    return all && { type: all.type, durationSec: all.duration, field: 'settings.transition' };
  });
}

/** Pure: a transition in frames of `rate`; never less than one frame. */
export function transitionFrames(transition: JoinTransition, rate: Rational): TransitionFrames {
  const fps = toNumber(rate);
  if (transition.type === 'crossfade') {
    const overlap = Math.max(1, Math.round(transition.durationSec * fps));
    return { type: 'crossfade', overlap, before: overlap, after: overlap, fadeFrames: 0 };
  }
  const fadeFrames = Math.max(1, Math.round((transition.durationSec / 2) * fps));
  // The fade out ends on a black frame: it changes one frame more than it fades over.
  return { type: 'fade', overlap: 0, before: fadeFrames + 1, after: fadeFrames, fadeFrames };
}

/**
 * Pure: every clip must be long enough for the transitions on both its sides; otherwise a job error
 * naming the transition's field, the clip, and the longest duration that would fit.
 */
export function assertTransitionsFit(clipFrames: number[], transitions: JoinTransitions, rate: Rational): Array<TransitionFrames | undefined> {
  const frames = transitions.map((t) => t && transitionFrames(t, rate));
  const seconds = (n: number) => `${(n / toNumber(rate)).toFixed(3)} s`;
  for (const [k, length] of clipFrames.entries()) {
    const [incoming, outgoing] = [frames[k - 1], frames[k]];
    if ((incoming?.after ?? 0) + (outgoing?.before ?? 0) <= length) continue;
    // The join that does not fit on its own is named; when each fits alone, the later one is.
    const incomingAlone = !!incoming && (incoming.after > length || !outgoing);
    const named = incomingAlone ? k - 1 : k;
    const other = !incomingAlone && incoming && outgoing!.before <= length ? k - 1 : undefined;
    const room = length - (other === undefined ? 0 : incoming!.after);
    const transition = transitions[named]!;
    // In frames: a crossfade takes its overlap; a fade takes its fade frames, and one more before the join.
    const fits = transition.type === 'crossfade' ? room : 2 * (incomingAlone ? room : room - 1);
    const besides = other === undefined ? '' : ` besides the ${share(transitions[other]!)} s that ${transitions[other]!.field} takes from it`;
    throw new MediaError(
      'invalid_settings',
      `${transition.field}.duration: a ${transition.durationSec} s ${transition.type} needs ${share(transition)} s of clip ${k + 1}${besides}, ` +
        `but clip ${k + 1} lasts ${seconds(length)}; use at most ${fits > 0 ? seconds(fits) : '0 s (no transition)'} there, or a longer clip.`,
      k,
    );
  }
  return frames;
}

/** What a transition takes of each clip it touches, in the caller's seconds: a crossfade all of it, a fade half. */
function share(transition: JoinTransition): number {
  return Number((transition.type === 'crossfade' ? transition.durationSec : transition.durationSec / 2).toFixed(3));
}
