import { logger } from '@vrs/observability';
import { CopyClip } from '../copy-join/copy-clip';
import { copyJoinClips } from '../copy-join/copy-join';
import { spliceClip } from '../copy-join/splice-audio';
import { placeSounds, SpliceClip } from '../copy-join/splice-plan';
import { frameDurationSec, ResolvedTarget } from '../output-target';
import { toNumber } from '../rational';
import { VerifiedOutput } from '../verify-output';
import { cutPoints, segmentClip } from './clip-segment';
import { encodePieces, PieceCache } from './encode-pieces';
import { FFMPEG_AAC_PRIMING } from './encode-span';
import { ClipCuts, JoinItem, planJoin, Span, spanFrames } from './join-plan';
import { joinedFrames, TransitionFrames } from './join-transition';
import { clipPlacement, TransitionJoined, TransitionJoinJob } from './transition-join';

const log = logger('stitch');
/** Every copied part and every piece lasts at least this long: the copy join's sound splices need ~0.3 s. */
const MIN_ITEM_SEC = 0.5;
/** A cut whose sound cannot be spliced moves at least this far, past the few AAC frames the splice may use. */
const SPLICE_AVOID_SEC = 0.2;
const MAX_SPLICE_RETRIES = 4;
/** Pieces re-encoding more of the output than this cost more than one run over the whole join. */
const MAX_PIECES_SHARE = 0.75;

/**
 * The join of copy-compatible clips with only pieces around the transitions re-encoded (see
 * architecture.md, Transitions), or why it cannot be done so (then one run re-encodes it all).
 */
export async function partialReencode(
  job: TransitionJoinJob,
  clips: CopyClip[],
  joins: Array<TransitionFrames | undefined>,
): Promise<TransitionJoined | string> {
  const { target } = job;
  const fps = toNumber(target.frameRate);
  const cuts = clips.map(cutPoints);
  const pieces = new PieceCache();
  for (let attempt = 0; ; attempt++) {
    const items = planJoin(cuts, joins, Math.ceil(MIN_ITEM_SEC * fps));
    const reencoded = items.reduce((sum, item) => sum + ('span' in item ? spanFrames(item.span) : 0), 0);
    // Few key pictures (x264's default is one every 250 frames) can leave little to copy: then one run does it all for less.
    if (
      reencoded >
      MAX_PIECES_SHARE *
        joinedFrames(
          clips.map((c) => c.video.track.samples.count),
          joins,
        )
    )
      return "the clips' key pictures leave little to copy";
    const copies = items.map((item) => ('copy' in item ? segmentClip(clips[item.copy.clip], item.copy.from, item.copy.to) : undefined));
    const predicted = placeSounds(items.map((item, s) => (copies[s] ? spliceClip(copies[s]!) : pieceSound(spanFrames((item as { span: Span }).span), target))));
    const encoded = await encodePieces(job, clips, cuts, items, predicted.starts, pieces, attempt === 0);
    const itemClips = items.map((_, s) => copies[s] ?? encoded[s]);
    // The pieces' sound was cut for where the copy join was predicted to place it; anything else would shift it.
    const placed = placeSounds(itemClips.map(spliceClip));
    const drift = placed.starts.findIndex(
      (start, s) => start !== predicted.starts[s] || (encoded[s] && encoded[s].video.track.samples.count !== spanFrames((items[s] as { span: Span }).span)),
    );
    if (drift >= 0) return `piece ${drift} came out other than planned`;
    const joined = await copyJoinClips({ clips: itemClips, target, outputPath: job.outputPath, signal: job.signal, onProgress: job.onProgress });
    if ('verified' in joined) return partialResult(joined.verified, clips, joins, items, target);
    // Sound that cannot be spliced at a cut (a transient there) is avoided by moving the cut; only one piece changes.
    if (attempt >= MAX_SPLICE_RETRIES || joined.soundAtJoin === undefined || !avoidCut(cuts, items, joined.soundAtJoin, Math.ceil(SPLICE_AVOID_SEC * fps))) {
      return joined.refused;
    }
    log.info('moving a cut away from sound that cannot be spliced there', { join: joined.soundAtJoin, attempt: attempt + 1 });
  }
}

function partialResult(
  verified: VerifiedOutput,
  clips: CopyClip[],
  joins: Array<TransitionFrames | undefined>,
  items: JoinItem[],
  target: ResolvedTarget,
): TransitionJoined {
  const fd = frameDurationSec(target.frameRate);
  const copied = new Map(items.flatMap((item) => ('copy' in item ? [[item.copy.clip, { from: item.copy.from * fd, to: item.copy.to * fd }] as const] : [])));
  const reencoded = items.reduce((sum, item) => sum + ('span' in item ? spanFrames(item.span) : 0), 0);
  return {
    method: 'partial-reencode',
    verified,
    ...clipPlacement(
      clips.map((c) => c.video.track.samples.count),
      joins,
      fd,
      (k) => copied.get(k),
    ),
    reencodedSec: reencoded * fd,
  };
}

/**
 * Moves the cut at a join of items whose sound cannot be spliced: the copied part before a piece ends
 * `avoidFrames` earlier or more, or the one after a piece starts at its next key picture. The piece
 * grows by what the copy loses, so nothing after it moves. False at a join of whole clips.
 */
function avoidCut(cuts: ClipCuts[], items: JoinItem[], join: number, avoidFrames: number): boolean {
  const [before, after] = [items[join - 1], items[join]];
  if (before && 'copy' in before && after && 'span' in after && before.copy.to < cuts[before.copy.clip].frames) {
    const { clip, to } = before.copy;
    cuts[clip] = { ...cuts[clip], ends: cuts[clip].ends.filter((c) => c <= to - avoidFrames || c > to) };
    return true;
  }
  if (after && 'copy' in after && before && 'span' in before && after.copy.from > 0) {
    const { clip, from } = after.copy;
    cuts[clip] = { ...cuts[clip], starts: cuts[clip].starts.filter((c) => c !== from) };
    return true;
  }
  return false;
}

/** Where the copy join will place a piece's sound, before it is encoded: ffmpeg's AAC delay, and its picture's length in samples. */
function pieceSound(frames: number, target: ResolvedTarget): Pick<SpliceClip, 'priming' | 'videoSamples'> {
  return { priming: FFMPEG_AAC_PRIMING, videoSamples: (frames * target.audioSampleRate * target.frameRate.den) / target.frameRate.num };
}
