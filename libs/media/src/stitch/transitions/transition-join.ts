import { JoinPart } from '../join-clips';
import { ResolvedTarget } from '../output-target';
import { VerifiedOutput } from '../verify-output';
import { joinedFrames, JoinTransitions, TransitionFrames } from './join-transition';

export interface TransitionJoinJob {
  /** The clips in play order, normalised where they had to be (see stitch-clips). */
  parts: JoinPart[];
  transitions: JoinTransitions;
  target: ResolvedTarget;
  outputPath: string;
  /** The stitch's scratch directory. */
  workDir: string;
  /** Pieces encoded at once; ffmpeg threads are split between them. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (phase: 'join' | 'verify', fraction: number) => void;
}

export interface TransitionJoined {
  /**
   * partial-reencode: the clips' pictures copied between the transitions, only the seconds around
   * each re-encoded; full-reencode: one filtergraph over every clip (clips the copy join cannot take).
   */
  method: 'partial-reencode' | 'full-reencode';
  verified: VerifiedOutput;
  /** Per clip: its length, where it starts in the output, and which of its seconds were copied byte for byte. */
  clips: Array<{ index: number; durationSec: number; startSec: number; copiedSec?: { from: number; to: number } }>;
  /** How much shorter than the clips' sum the crossfades make the output. */
  overlapSec: number;
  /** Seconds of the output that were encoded anew. */
  reencodedSec: number;
}

/** Per clip: its length and where it starts in the output (crossfades overlap); how much shorter the output is. */
export function clipPlacement(
  lengths: number[],
  joins: Array<TransitionFrames | undefined>,
  fd: number,
  copied: (k: number) => { from: number; to: number } | undefined,
): Pick<TransitionJoined, 'clips' | 'overlapSec'> {
  const clips = lengths.map((frames, k) => ({
    index: k,
    durationSec: frames * fd,
    startSec: joinedFrames(lengths.slice(0, k), joins.slice(0, k)) * fd,
    ...(copied(k) ? { copiedSec: copied(k) } : {}),
  }));
  return { clips, overlapSec: joins.reduce((sum, j) => sum + (j?.overlap ?? 0), 0) * fd };
}
