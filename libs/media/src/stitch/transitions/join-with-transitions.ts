import { cpus } from 'node:os';
import { join } from 'node:path';
import { logger } from '@vrs/observability';
import { CopyClip, inspectCopyClip, VISUAL_ENTRY_FIELDS } from '../copy-join/copy-clip';
import { copyJoinClips, findMismatch, inspectCopyClips } from '../copy-join/copy-join';
import { sampleEntryChild } from '../copy-join/mp4-reader';
import { spliceClip } from '../copy-join/splice-audio';
import { placeSounds, SpliceClip } from '../copy-join/splice-plan';
import { JoinPart } from '../join-clips';
import { frameDurationSec, OutputTarget, ResolvedTarget, resolveTarget, VIDEO_CODECS } from '../output-target';
import { toNumber } from '../rational';
import { runPool } from '../run-pool';
import { VerifiedOutput, verifyOutput } from '../verify-output';
import { cutPoints, frameSample, segmentClip, writeVideoSegment } from './clip-segment';
import { encodeSpan, FFMPEG_AAC_PRIMING, SpanFiles } from './encode-span';
import { assertTransitionsFit, joinedFrames, JoinTransitions, TransitionFrames } from './join-transition';
import { ClipCuts, JoinItem, planJoin, Span, spanFrames } from './join-plan';

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

const log = logger('stitch');
/** Every copied part and every piece lasts at least this long: the copy join's sound splices need ~0.3 s. */
const MIN_ITEM_SEC = 0.5;
/** A cut whose sound cannot be spliced moves at least this far, past the few AAC frames the splice may use. */
const SPLICE_AVOID_SEC = 0.2;
const MAX_SPLICE_RETRIES = 4;
/** Pieces re-encoding more of the output than this cost more than one run over the whole join. */
const MAX_PIECES_SHARE = 0.75;

/**
 * Joins the parts with their transitions. Clips the copy join can take are cut at clean key pictures
 * around each transition: the parts between are copied, only the pieces around the transitions are
 * re-encoded (with the clips' own encoding, so the copy join joins them all). Otherwise, or when the
 * copy join declines the result, one ffmpeg run re-encodes the whole join.
 */
export async function joinWithTransitions(job: TransitionJoinJob): Promise<TransitionJoined> {
  const copyable = inspectCopyClips(job.parts.map((p) => p.videoPath));
  const mismatch = typeof copyable === 'string' ? copyable : findMismatch(copyable, job.target);
  if (mismatch === undefined) {
    const clips = copyable as CopyClip[];
    const frames = assertTransitionsFit(clips.map((c) => c.video.track.samples.count), job.transitions, job.target.frameRate);
    const partial = await partialReencode(job, clips, frames);
    if (partial) return partial;
  } else {
    log.info('transitions re-encode the whole join', { reason: mismatch });
  }
  return fullReencode(job);
}

/**
 * The inputs as parts when every one is copy-compatible, read in process (no ffprobe), with the target
 * the first sets; undefined when any needs the probing path.
 */
export function copyCompatibleParts(inputs: string[], overrides?: Partial<OutputTarget>): { parts: JoinPart[]; target: ResolvedTarget } | undefined {
  const clips = inspectCopyClips(inputs);
  if (typeof clips === 'string') return undefined;
  const target = resolveTarget(clips[0].info, overrides);
  if (findMismatch(clips, target)) return undefined;
  return { target, parts: clips.map((c) => ({ clip: c.info, videoPath: c.path, videoDurationSec: c.info.video.durationSec })) };
}

async function partialReencode(job: TransitionJoinJob, clips: CopyClip[], joins: Array<TransitionFrames | undefined>): Promise<TransitionJoined | undefined> {
  const { target } = job;
  const fps = toNumber(target.frameRate);
  const cuts = clips.map(cutPoints);
  const pieces = new PieceCache();
  for (let attempt = 0; ; attempt++) {
    const items = planJoin(cuts, joins, Math.ceil(MIN_ITEM_SEC * fps));
    const reencoded = items.reduce((sum, item) => sum + ('span' in item ? spanFrames(item.span) : 0), 0);
    // Few key pictures (x264's default is one every 250 frames) can leave little to copy: then one run does it all for less.
    if (reencoded > MAX_PIECES_SHARE * joinedFrames(clips.map((c) => c.video.track.samples.count), joins)) return declined('the clips\' key pictures leave little to copy');
    const copies = items.map((item) => ('copy' in item ? segmentClip(clips[item.copy.clip], item.copy.from, item.copy.to) : undefined));
    const predicted = placeSounds(items.map((item, s) => copies[s] ? spliceClip(copies[s]!) : pieceSound(spanFrames((item as { span: Span }).span), target)));
    const encoded = await encodePieces(job, clips, cuts, items, predicted.starts, pieces, attempt === 0);
    const itemClips = items.map((_, s) => copies[s] ?? encoded[s]);
    // The pieces' sound was cut for where the copy join was predicted to place it; anything else would shift it.
    const placed = placeSounds(itemClips.map(spliceClip));
    const drift = placed.starts.findIndex((start, s) => start !== predicted.starts[s] || (encoded[s] && encoded[s].video.track.samples.count !== spanFrames((items[s] as { span: Span }).span)));
    if (drift >= 0) return declined(`piece ${drift} came out other than planned`);
    const joined = await copyJoinClips({ clips: itemClips, target, outputPath: job.outputPath, signal: job.signal, onProgress: job.onProgress });
    if ('verified' in joined) return partialResult(joined.verified, clips, joins, items, target);
    // Sound that cannot be spliced at a cut (a transient there) is avoided by moving the cut; only one piece changes.
    if (attempt >= MAX_SPLICE_RETRIES || joined.soundAtJoin === undefined || !avoidCut(cuts, items, joined.soundAtJoin, Math.ceil(SPLICE_AVOID_SEC * fps))) {
      return declined(joined.refused);
    }
    log.info('moving a cut away from sound that cannot be spliced there', { join: joined.soundAtJoin, attempt: attempt + 1 });
  }
}

function partialResult(verified: VerifiedOutput, clips: CopyClip[], joins: Array<TransitionFrames | undefined>, items: JoinItem[], target: ResolvedTarget): TransitionJoined {
  const fd = frameDurationSec(target.frameRate);
  const copied = new Map(items.flatMap((item) => ('copy' in item ? [[item.copy.clip, { from: item.copy.from * fd, to: item.copy.to * fd }] as const] : [])));
  const reencoded = items.reduce((sum, item) => sum + ('span' in item ? spanFrames(item.span) : 0), 0);
  return {
    method: 'partial-reencode',
    verified,
    ...clipPlacement(clips.map((c) => c.video.track.samples.count), joins, fd, (k) => copied.get(k)),
    reencodedSec: reencoded * fd,
  };
}

/** Encoded pieces by what they were encoded from, so a new plan re-encodes only the pieces it changed. */
class PieceCache {
  private readonly pieces = new Map<string, CopyClip>();
  private made = 0;

  key(items: JoinItem[], s: number, starts: number[]): string {
    // A piece depends on its span, on where the copied parts beside it start, and on where the copy join places their sound and its own.
    const start = (item: JoinItem | undefined) => (item && 'copy' in item ? [item.copy.clip, item.copy.from] : undefined);
    return JSON.stringify([items[s], start(items[s - 1]), start(items[s + 1]), starts[s - 1], starts[s], starts[s + 1]]);
  }

  get(key: string): CopyClip | undefined {
    return this.pieces.get(key);
  }

  set(key: string, piece: CopyClip): void {
    this.pieces.set(key, piece);
  }

  /** A file name no earlier piece has, so a kept piece is never overwritten. */
  nextName(): string {
    return `piece-${++this.made}`;
  }
}

/** Encodes the plan's pieces not encoded yet, `job.concurrency` at a time; returns every piece by item index. */
async function encodePieces(
  job: TransitionJoinJob, clips: CopyClip[], cuts: ClipCuts[], items: JoinItem[], starts: number[], cache: PieceCache, reportProgress: boolean,
): Promise<CopyClip[]> {
  const spans = items.flatMap((item, s) => ('span' in item ? [{ s, span: item.span, key: cache.key(items, s, starts) }] : []));
  const pending = spans.filter(({ key }) => !cache.get(key));
  const concurrency = Math.max(1, Math.min(job.concurrency, pending.length));
  const threads = Math.max(1, Math.floor(cpus().length / concurrency));
  const levelIdc = avcLevel(clips[0]);
  const totalFrames = pending.reduce((sum, { span }) => sum + spanFrames(span), 0);
  const done = new Map<number, number>();
  const report = () => reportProgress && job.onProgress?.('join', (0.9 * [...done.values()].reduce((a, b) => a + b, 0)) / totalFrames);
  await runPool(pending, concurrency, async ({ s, span, key }) => {
    const name = cache.nextName();
    const piece = join(job.workDir, `${name}.mp4`);
    const sources = await spanSources(job, clips, cuts, items, s, starts, name);
    await encodeSpan({
      sources, joins: span.joins, target: job.target, levelIdc, threads, outputPath: piece, graphPath: join(job.workDir, `${name}.filtergraph`), faststart: false, signal: job.signal,
      onProgress: (f) => { done.set(s, f * spanFrames(span)); report(); },
    });
    const inspected = inspectCopyClip(piece);
    if (typeof inspected === 'string') throw new Error(`transition piece ${s} cannot be copied: ${inspected}`);
    cache.set(key, inspected);
  });
  const pieces: CopyClip[] = [];
  for (const { s, key } of spans) pieces[s] = cache.get(key)!;
  return pieces;
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

/**
 * The files each range of a span is encoded from: its pictures (written from the clip's samples, from
 * the key picture at or before the range, unless it is the whole clip) and the clip's sound, starting where the copied part it continues (or
 * that continues it) puts it, so the sound runs on across the cut without a jump.
 */
async function spanSources(job: TransitionJoinJob, clips: CopyClip[], cuts: ClipCuts[], items: JoinItem[], s: number, starts: number[], name: string): Promise<SpanFiles[]> {
  const { span } = items[s] as { span: Span };
  const [before, after] = [items[s - 1], items[s + 1]];
  const last = span.ranges.length - 1;
  return Promise.all(span.ranges.map(async (range, r) => {
    const clip = clips[range.clip];
    // A range that continues a copied part may start between key pictures: it is decoded from the one before.
    const decodeFrom = cuts[range.clip].starts.filter((c) => c <= range.from).pop()!;
    const whole = decodeFrom === 0 && range.to === clip.video.track.samples.count;
    const videoPath = whole ? clip.path : join(job.workDir, `${name}-range-${r}.mp4`);
    if (!whole) await writeVideoSegment(clip, decodeFrom, range.to, videoPath);
    const at = (frame: number) => frameSample(clip, frame);
    let audioFrom = at(range.from);
    if (r === 0 && before && 'copy' in before && before.copy.clip === range.clip) {
      // The copied part's sound starts at its own place in the output; the piece's continues from there.
      audioFrom = at(before.copy.from) + starts[s] - starts[s - 1];
    } else if (r === last && after && 'copy' in after && after.copy.clip === range.clip) {
      const rangeStart = at(joinedFrames(span.ranges.slice(0, r).map((q) => q.to - q.from), span.joins.slice(0, r)));
      audioFrom = at(after.copy.from) - (starts[s + 1] - starts[s] - rangeStart);
    }
    return { videoPath, skipFrames: range.from - decodeFrom, audioPath: clip.path, frames: range.to - range.from, audioFrom };
  }));
}

/** Re-encodes the whole join in one filtergraph, straight into the output, and checks it. */
async function fullReencode(job: TransitionJoinJob): Promise<TransitionJoined> {
  const { target, parts } = job;
  const fps = toNumber(target.frameRate);
  const lengths = parts.map((p) => Math.round(p.videoDurationSec * fps));
  const joins = assertTransitionsFit(lengths, job.transitions, target.frameRate);
  // A normalised part carries the clip's sound already aligned and cut; a copied one may have none.
  const sources = parts.map((p, i) => ({ videoPath: p.videoPath, skipFrames: 0, audioPath: p.videoPath !== p.clip.path || p.clip.audio ? p.videoPath : undefined, frames: lengths[i], audioFrom: 0 }));
  await encodeSpan({
    sources, joins, target, threads: cpus().length, outputPath: job.outputPath, graphPath: join(job.workDir, 'transitions.filtergraph'), faststart: true, signal: job.signal,
    onProgress: (f) => job.onProgress?.('join', f),
  });
  job.onProgress?.('join', 1);
  const fd = frameDurationSec(target.frameRate);
  const total = joinedFrames(lengths, joins);
  job.onProgress?.('verify', 0);
  const verified = await verifyOutput(job.outputPath, {
    durationSec: total * fd, joins: parts.length - 1, frameDurationSec: fd, width: target.width, height: target.height,
    videoCodec: VIDEO_CODECS[target.codec].codec, signal: job.signal, onProgress: (f) => job.onProgress?.('verify', f),
  });
  return { method: 'full-reencode', verified, ...clipPlacement(lengths, joins, fd, () => undefined), reencodedSec: total * fd };
}

function clipPlacement(lengths: number[], joins: Array<TransitionFrames | undefined>, fd: number, copied: (k: number) => { from: number; to: number } | undefined) {
  const clips = lengths.map((frames, k) => ({
    index: k,
    durationSec: frames * fd,
    startSec: joinedFrames(lengths.slice(0, k), joins.slice(0, k)) * fd,
    ...(copied(k) ? { copiedSec: copied(k) } : {}),
  }));
  return { clips, overlapSec: joins.reduce((sum, j) => sum + (j?.overlap ?? 0), 0) * fd };
}

/** Where the copy join will place a piece's sound, before it is encoded: ffmpeg's AAC delay, and its picture's length in samples. */
function pieceSound(frames: number, target: ResolvedTarget): Pick<SpliceClip, 'priming' | 'videoSamples'> {
  return { priming: FFMPEG_AAC_PRIMING, videoSamples: (frames * target.audioSampleRate * target.frameRate.den) / target.frameRate.num };
}

/** The H.264 level the clip declares (avcC AVCLevelIndication). */
function avcLevel(clip: CopyClip): number | undefined {
  return sampleEntryChild(clip.video.track.sampleEntries[0], VISUAL_ENTRY_FIELDS, 'avcC')?.[3];
}

function declined(reason: string): undefined {
  log.info('transitions re-encode the whole join', { reason });
  return undefined;
}
