import { cpus } from 'node:os';
import { join } from 'node:path';
import { logger } from '@vrs/observability';
import { CopyClip } from '../copy-join/copy-clip';
import { findMismatch, inspectCopyClips } from '../copy-join/copy-join';
import { JoinPart } from '../join-clips';
import { frameDurationSec, OutputTarget, ResolvedTarget, resolveTarget, VIDEO_CODECS } from '../output-target';
import { toNumber } from '../rational';
import { verifyOutput } from '../verify-output';
import { encodeSpan } from './encode-span';
import { assertTransitionsFit, joinedFrames } from './join-transition';
import { partialReencode } from './partial-reencode';
import { clipPlacement, TransitionJoined, TransitionJoinJob } from './transition-join';

export type { TransitionJoinJob, TransitionJoined } from './transition-join';

const log = logger('stitch');

/**
 * Joins the parts with their transitions. Clips the copy join can take are cut close to each
 * transition: the parts between are copied, only the pieces around the transitions are re-encoded
 * (with the clips' own encoding, so the copy join joins them all). Otherwise, or when that does not
 * work out, one ffmpeg run re-encodes the whole join.
 */
export async function joinWithTransitions(job: TransitionJoinJob): Promise<TransitionJoined> {
  const copyable = inspectCopyClips(job.parts.map((p) => p.videoPath));
  const mismatch = typeof copyable === 'string' ? copyable : findMismatch(copyable, job.target);
  if (mismatch === undefined) {
    const clips = copyable as CopyClip[];
    const frames = assertTransitionsFit(
      clips.map((c) => c.video.track.samples.count),
      job.transitions,
      job.target.frameRate,
    );
    const partial = await partialReencode(job, clips, frames);
    if (typeof partial !== 'string') return partial;
    log.info('transitions re-encode the whole join', { reason: partial });
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

/** Re-encodes the whole join in one filtergraph, straight into the output, and checks it. */
async function fullReencode(job: TransitionJoinJob): Promise<TransitionJoined> {
  const { target, parts } = job;
  const fps = toNumber(target.frameRate);
  const lengths = parts.map((p) => Math.round(p.videoDurationSec * fps));
  const joins = assertTransitionsFit(lengths, job.transitions, target.frameRate);
  // A normalised part carries the clip's sound already aligned and cut; a copied one may have none.
  const sources = parts.map((p, i) => ({
    videoPath: p.videoPath,
    skipFrames: 0,
    audioPath: p.videoPath !== p.clip.path || p.clip.audio ? p.videoPath : undefined,
    frames: lengths[i],
    audioFrom: 0,
  }));
  await encodeSpan({
    sources,
    joins,
    target,
    threads: cpus().length,
    outputPath: job.outputPath,
    graphPath: join(job.workDir, 'transitions.filtergraph'),
    faststart: true,
    signal: job.signal,
    onProgress: (f) => job.onProgress?.('join', f),
  });
  job.onProgress?.('join', 1);
  const fd = frameDurationSec(target.frameRate);
  const total = joinedFrames(lengths, joins);
  job.onProgress?.('verify', 0);
  const verified = await verifyOutput(job.outputPath, {
    durationSec: total * fd,
    joins: parts.length - 1,
    frameDurationSec: fd,
    width: target.width,
    height: target.height,
    videoCodec: VIDEO_CODECS[target.codec].codec,
    signal: job.signal,
    onProgress: (f) => job.onProgress?.('verify', f),
  });
  return { method: 'full-reencode', verified, ...clipPlacement(lengths, joins, fd, () => undefined), reencodedSec: total * fd };
}
