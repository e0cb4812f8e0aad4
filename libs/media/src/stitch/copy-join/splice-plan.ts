import { AAC_FRAME_SAMPLES as F } from './aac';

/**
 * Where each clip's AAC frames land in the joined track, and which short stretch around each join is
 * re-encoded. Positions are in samples of the output's decoded stream ("raw": before its edit list
 * drops the first clip's encoder delay); a block is one frame's worth of samples, and output frame p
 * decodes to block p.
 *
 * Why this is clean: an AAC frame covers two blocks and overlaps its neighbours by one; the aliasing in
 * an overlap cancels only between two frames that encoded the same samples with matching windows.
 * Copied frames keep their own neighbours; the frames around a join are re-encoded from the decoded
 * sound so that the first and last re-encoded frames cover exactly the samples of the copied frames next
 * to them. A clip's frames can only start on the first clip's frame grid, so each clip's sound starts
 * within half an AAC frame (±10.7 ms at 48 kHz) of its picture, which stays exactly where the clips'
 * lengths put it: the offset is the clip's own and never accumulates, and the video keeps a constant
 * frame rate (so a joined file can itself be copied into another join).
 */
export interface SpliceClip {
  /** Encoder delay in samples (the edit list's media time). */
  priming: number;
  /** AAC frames in the track. */
  frames: number;
  /** Samples of real sound after the priming. */
  length: number;
  /** The clip's video length, in audio samples (may be fractional). */
  videoSamples: number;
}

export interface SpliceRegion {
  before: number;
  after: number;
  /** Output blocks [firstBlock, endBlock) are re-encoded as one stretch (guards included). */
  firstBlock: number;
  endBlock: number;
  /** Output frames that may be the first re-encoded one (copying the clip before stops just before), best first. */
  stopCandidates: number[];
  /** Frames of the clip after the join where copying may resume, best first. */
  resumeCandidates: number[];
  /** Frames of the clip before the join to decode: from one before the first re-encoded block (to prime the decoder). */
  beforeFrames: { first: number; last: number };
  /** Samples of that clip's sound the stretch takes, then silence if its sound ends before the join. */
  beforeSamples: number;
  silence: number;
  /** Frames of the clip after the join to decode, from its first; its sound starts after its own priming. */
  afterFrames: { last: number };
  afterSamples: number;
}

export interface SplicePlan {
  /** Where each clip's sound starts in the output, in samples (its picture starts at the sum of the lengths before it). */
  starts: number[];
  /** Output block where each clip's frame 0 goes. */
  bases: number[];
  regions: SpliceRegion[];
  /** Last frame of the last clip that the output needs. */
  lastFrame: number;
  /** Samples the output plays: the sum of the videos. */
  presentedSamples: number;
}

/** Frames on each side of a join where the splice may go (the first whose windows match wins). */
export const SPLICE_CANDIDATES = 3;
/**
 * Extra frames re-encoded beyond the outermost candidates and thrown away: stretches are encoded end to
 * end, and the jump from one to the next makes the encoder switch to short windows, which cannot splice.
 */
const GUARD_FRAMES = 2;

/** Pure: the placement of every clip's frames and the stretches to re-encode, or why the clips cannot be joined this way. */
export function planSplices(clips: SpliceClip[]): SplicePlan | string {
  const primingFirst = clips[0].priming;
  const { starts, bases, presentedSamples } = placeSounds(clips);
  const last = clips.length - 1;
  if (starts[last] + clips[last].length < presentedSamples - F) return `clip ${last + 1}'s sound ends before its picture`;

  const regions: SpliceRegion[] = [];
  for (let k = 1; k < clips.length; k++) {
    const [a, b] = [clips[k - 1], clips[k]];
    const cut = starts[k] + primingFirst;
    const lastKeptBefore = Math.min(Math.floor(cut / F) - 2 - bases[k - 1], a.frames - 2);
    const firstStop = lastKeptBefore - SPLICE_CANDIDATES + 2;
    const firstReencoded = firstStop - GUARD_FRAMES;
    const firstKeptAfter = Math.ceil(b.priming / F);
    const afterRawEnd = (firstKeptAfter + SPLICE_CANDIDATES + GUARD_FRAMES) * F;
    // At least one copied frame must stay between two stretches, or they would touch without a clean splice.
    const previousResume = regions.length ? Math.max(...regions[regions.length - 1].resumeCandidates) : 1;
    if (firstReencoded < 1 || firstStop - 1 < previousResume) return `clip ${k} is too short to keep its own sound between joins`;
    if (afterRawEnd > b.priming + b.length || afterRawEnd > b.frames * F) return `clip ${k + 1} is too short to keep its own sound between joins`;

    const beforeRawStart = firstReencoded * F;
    const beforeRawEnd = Math.min(cut - bases[k - 1] * F, a.priming + a.length);
    const beforeSamples = Math.max(0, beforeRawEnd - beforeRawStart);
    regions.push({
      before: k - 1,
      after: k,
      firstBlock: bases[k - 1] + firstReencoded,
      endBlock: bases[k] + afterRawEnd / F,
      stopCandidates: range(SPLICE_CANDIDATES).map((i) => bases[k - 1] + lastKeptBefore + 1 - i),
      resumeCandidates: range(SPLICE_CANDIDATES).map((i) => firstKeptAfter + i),
      beforeFrames: { first: firstReencoded - 1, last: Math.min(a.frames - 1, Math.ceil((beforeRawStart + beforeSamples) / F)) },
      beforeSamples,
      silence: cut - bases[k - 1] * F - beforeRawStart - beforeSamples,
      afterFrames: { last: Math.min(b.frames - 1, afterRawEnd / F) },
      afterSamples: afterRawEnd - b.priming,
    });
  }
  const lastFrame = Math.min(clips[last].frames - 1, Math.ceil((presentedSamples + primingFirst) / F) - bases[last]);
  return { starts, bases, regions, lastFrame, presentedSamples };
}

/**
 * Pure: where each clip's sound starts in the output (samples) and the output block of its frame 0. The
 * ideal start is where the clips' lengths put it; the nearest start on the first clip's frame grid is taken.
 */
export function placeSounds(clips: Array<Pick<SpliceClip, 'priming' | 'videoSamples'>>): Pick<SplicePlan, 'starts' | 'bases' | 'presentedSamples'> {
  const primingFirst = clips[0].priming;
  const bases: number[] = [];
  const starts: number[] = [];
  let videoEnd = 0;
  for (const [k, clip] of clips.entries()) {
    const ideal = Math.round(videoEnd);
    const start = k === 0 ? 0 : ideal + centred(mod(clip.priming - primingFirst - ideal, F));
    starts.push(start);
    bases.push((start + primingFirst - clip.priming) / F);
    videoEnd += clip.videoSamples;
  }
  return { starts, bases, presentedSamples: Math.round(videoEnd) };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function mod(value: number, by: number): number {
  return ((value % by) + by) % by;
}

/** A shift in [0, F) as the equivalent shift in (-F/2, F/2]. */
function centred(shift: number): number {
  return shift > F / 2 ? shift - F : shift;
}
