import { copyFile, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { JoinSettings, TransitionSpec } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import { FfmpegError, runFfprobe } from '../ffmpeg/ffmpeg-runner';
import { finishJoinedAudio, wantsAudioPass } from './audio-finish/audio-step';
import { assertDecodedLength, headWarning, measureClipHead } from './clip-length';
import { ClipPlan, planClip } from './clip-plan';
import { copyJoin } from './copy-join/copy-join';
import type { CpuSlots } from './cpu-slots';
import { findDamagedClip } from './find-damaged-clip';
import { hevcParameterSets } from './hevc-parameter-sets';
import { joinClips, JoinPart } from './join-clips';
import { MediaError } from './media-error';
import { MediaInfo } from './media-info';
import { normaliseClip } from './normalise-clip';
import { frameDurationSec, OutputTarget, outputTargetFor, ResolvedTarget, resolveTarget, VIDEO_CODECS } from './output-target';
import { probeClip } from './probe-media';
import { toNumber } from './rational';
import { runPool } from './run-pool';
import { StillPaths, StitchStills, withStills } from './stitch-stills';
import { assertTransitionsFit, hasTransitions, joinTransitions, JoinTransitions } from './transitions/join-transition';
import { copyCompatibleParts, joinWithTransitions, TransitionJoined } from './transitions/join-with-transitions';
import { VerifiedOutput, verifyOutput } from './verify-output';

export type StitchPhase = 'probe' | 'normalise' | 'join' | 'verify' | 'audio' | 'stills';

export interface StitchOptions {
  /** Local file paths, in play order. */
  inputs: string[];
  outputPath: string;
  /** Caller-owned temp dir; the stitch removes its own intermediates from it. */
  workDir: string;
  target?: Partial<OutputTarget>;
  /** The join job's output settings (format, transitions, audio, poster); absent: a plain join, exactly as without. */
  settings?: JoinSettings;
  /** `transitions[i]`: clip i's own transition into clip i + 1, instead of `settings.transition` for that join. */
  transitions?: ReadonlyArray<TransitionSpec | undefined>;
  /** Where the poster and thumbnails go when `settings` ask for them; default beside outputPath (see stillPathsBeside). */
  stills?: StillPaths;
  /** The local copy of `settings.soundtrack.src`, when a soundtrack is asked for. */
  soundtrackPath?: string;
  /** Normalisations run in parallel (default 1); ffmpeg threads are split between them. */
  concurrency?: number;
  /** The process's budget for CPU-heavy work, shared by every stitch it runs: each normalisation takes a slot. */
  cpuSlots?: CpuSlots;
  signal?: AbortSignal;
  onProgress?: (phase: StitchPhase, fraction: number) => void;
}

export interface StitchReport extends StitchStills {
  /**
   * copy-join: every sample copied in process, audio re-encoded only around the joins (clips that already
   * match); general: clips normalised as needed and joined by ffmpeg with one re-encoded audio track.
   */
  method: 'copy-join' | 'general' | TransitionJoined['method'];
  durationSec: number;
  videoDurationSec: number;
  audioDurationSec: number;
  width: number;
  height: number;
  fps: number;
  /** Each clip's treatment, its length and where it starts in the output. */
  clips: Array<{
    index: number;
    action: 'copy' | 'normalise';
    reasons: string[];
    durationSec: number;
    startSec: number;
    /** With transitions: the clip's seconds (from its start) whose pictures were copied byte for byte. */
    copiedSec?: { from: number; to: number };
  }>;
  sizeBytes: number;
  /** What the output does not fully keep of the inputs (e.g. a clip's undecodable head), one sentence each; empty when nothing. */
  warnings: string[];
  /** Seconds the output is shorter than its clips together because crossfades overlap them; only when any. */
  overlapSec?: number;
  /** With transitions: seconds of the output encoded anew around them. */
  reencodedSec?: number;
  /** The output's loudness as ebur128 measures it, when `settings.loudness` asked for a target. */
  loudness?: { integratedLufs: number; truePeakDb: number };
}

const log = logger('stitch');

/**
 * Clips that already match are copy-joined in process; otherwise probe every clip, normalise only those
 * that differ, join (by the copy join again when it can, else by ffmpeg), verify, then publish.
 */
export async function stitchClips(options: StitchOptions): Promise<StitchReport> {
  if (options.inputs.length === 0) throw new MediaError('unsupported', 'A stitch needs at least one clip.');
  // The caller's output format over the operator's defaults (caps, encoder); without settings, just those.
  options = { ...options, target: { ...options.target, ...outputTargetFor(options.settings?.output) } };
  const progress = options.onProgress ?? (() => undefined);
  const scratch = await mkdtemp(join(options.workDir, 'stitch-'));
  try {
    const joined = join(scratch, 'joined.mp4');
    progress('probe', 0);
    const asked = joinTransitions(options.inputs.length, options.settings?.transition, options.transitions);
    const transitions = hasTransitions(asked) ? asked : undefined;
    const copied = transitions ? await tryTransitionsInProcess(options, transitions, joined, scratch, progress) : await tryCopyJoin(options, joined, progress);
    if (copied) return await finish(copied, joined, options);

    const clips = await probeAll(options, progress);
    const target = resolveTarget(clips[0], options.target);
    // Known after probing; checked before anything is encoded.
    if (transitions)
      assertTransitionsFit(
        clips.map((c) => Math.round(c.video.durationSec * toNumber(target.frameRate))),
        transitions,
        target.frameRate,
      );
    const plans = clips.map((clip) => planClip(clip, target));
    log.info('stitch planned', {
      clips: clips.length,
      target: `${target.width}x${target.height}@${toNumber(target.frameRate).toFixed(3)}`,
      normalise: plans.filter((p) => p.action === 'normalise').length,
    });

    // Transitions cut clips at key pictures: normalised ones get one every second, so little around each is re-encoded.
    const keyintFrames = transitions ? Math.round(toNumber(target.frameRate)) : undefined;
    const { parts, warnings } = await prepareVideo(clips, plans, target, scratch, options, progress, keyintFrames);
    const planned = (index: number) => ({ index, action: plans[index].action, reasons: plans[index].reasons });
    if (transitions) {
      const crossed = await joinTransitioned(clips, parts, transitions, target, joined, scratch, options, progress);
      return await finish({ ...crossed, target, warnings, clips: crossed.clips.map((c) => ({ ...c, ...planned(c.index) })) }, joined, options);
    }
    // Normalised clips carry the target's picture and sound, so the copy join may now take them all.
    if (plans.some((p) => p.action === 'normalise')) {
      progress('join', 0);
      const normalisedCopy = await tryCopyJoin({ ...options, inputs: parts.map((p) => p.videoPath) }, joined, progress);
      if (normalisedCopy)
        return await finish({ ...normalisedCopy, warnings, clips: normalisedCopy.clips.map((c) => ({ ...c, ...planned(c.index) })) }, joined, options);
    }
    const verified = await joinAndVerify(clips, parts, target, joined, options, progress);
    return await finish(
      {
        method: 'general',
        verified,
        target,
        warnings,
        clips: parts.map((p, index) => ({
          ...planned(index),
          durationSec: p.videoDurationSec,
          startSec: parts.slice(0, index).reduce((sum, q) => sum + q.videoDurationSec, 0),
        })),
      },
      joined,
      options,
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface Stitched {
  method: StitchReport['method'];
  verified: VerifiedOutput;
  target: ResolvedTarget;
  clips: StitchReport['clips'];
  warnings: string[];
  overlapSec?: number;
  reencodedSec?: number;
}

async function finish(stitched: Stitched, joined: string, options: StitchOptions): Promise<StitchReport> {
  // Soundtrack and loudness, when asked: a pass over the joined file's sound, its picture copied.
  const audio = wantsAudioPass(options.settings)
    ? await finishJoinedAudio({ path: joined, ...stitched }, { ...options, onProgress: (f) => options.onProgress?.('audio', f) })
    : undefined;
  await publish(audio?.path ?? joined, resolve(options.outputPath));
  options.onProgress?.('verify', 1);
  return withStills(
    {
      method: stitched.method,
      ...(audio?.verified ?? stitched.verified),
      width: stitched.target.width,
      height: stitched.target.height,
      fps: toNumber(stitched.target.frameRate),
      clips: stitched.clips,
      sizeBytes: (await stat(options.outputPath)).size,
      warnings: [...stitched.warnings, ...(audio?.warnings ?? [])],
      ...(stitched.overlapSec ? { overlapSec: stitched.overlapSec } : {}),
      ...(stitched.reencodedSec !== undefined ? { reencodedSec: stitched.reencodedSec } : {}),
      ...(audio?.loudness && { loudness: audio.loudness }),
    },
    options,
  );
}

/**
 * Clips that already match are joined in process by copying (see copy-join). Anything that path cannot
 * do, including a result failing its check, falls back to the general path, which handles every input.
 */
async function tryCopyJoin(options: StitchOptions, joined: string, progress: (phase: StitchPhase, fraction: number) => void): Promise<Stitched | undefined> {
  try {
    const copied = await copyJoin({ inputs: options.inputs, outputPath: joined, target: options.target, signal: options.signal, onProgress: progress });
    if (!copied) return undefined;
    const clips = copied.clips.map((c, index) => ({
      index,
      action: 'copy' as const,
      reasons: [],
      durationSec: c.info.video.durationSec,
      startSec: copied.startsSec[index],
    }));
    return { method: 'copy-join', verified: copied.verified, target: copied.target, clips, warnings: [] };
  } catch (error) {
    if (options.signal?.aborted) throw new MediaError('cancelled', 'The stitch was cancelled.');
    log.error('copy join failed; taking the general path', { error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}

/** With transitions, clips that already match skip probing (read in process) and normalising. */
async function tryTransitionsInProcess(
  options: StitchOptions,
  transitions: JoinTransitions,
  joined: string,
  scratch: string,
  progress: (phase: StitchPhase, fraction: number) => void,
): Promise<Stitched | undefined> {
  const compatible = copyCompatibleParts(options.inputs, options.target);
  if (!compatible) return undefined;
  const { parts, target } = compatible;
  const crossed = await joinTransitioned(
    parts.map((p) => p.clip),
    parts,
    transitions,
    target,
    joined,
    scratch,
    options,
    progress,
  );
  return { ...crossed, target, warnings: [], clips: crossed.clips.map((c) => ({ ...c, action: 'copy' as const, reasons: [] })) };
}

/**
 * Joins the prepared parts into `joined` (in the stitch's scratch directory) and checks the result.
 * When either step fails and a clip turns out to be damaged, the error names that clip rather than the symptom.
 */
function joinAndVerify(
  clips: MediaInfo[],
  parts: JoinPart[],
  target: ResolvedTarget,
  joined: string,
  options: StitchOptions,
  progress: (phase: StitchPhase, fraction: number) => void,
) {
  return namingDamagedClip(clips, options.signal, async () => {
    progress('join', 0);
    await guard(
      () => joinClips({ parts, target, outputPath: joined, workDir: dirname(joined), signal: options.signal, onProgress: (f) => progress('join', f) }),
      options.signal,
      'join',
    );
    progress('join', 1);

    // Normalised parts were checked against their clips' declared lengths (a lenient head keeps its length).
    const expectedSec = parts.reduce((sum, part) => sum + part.videoDurationSec, 0);
    return await verifyJoined(joined, expectedSec, parts.length - 1, target, options, progress);
  });
}

/** The join with its transitions (see transitions/), a failure naming a damaged clip like the plain join's. */
function joinTransitioned(
  clips: MediaInfo[],
  parts: JoinPart[],
  transitions: JoinTransitions,
  target: ResolvedTarget,
  joined: string,
  scratch: string,
  options: StitchOptions,
  progress: (phase: StitchPhase, fraction: number) => void,
): Promise<TransitionJoined> {
  progress('join', 0);
  return namingDamagedClip(clips, options.signal, () =>
    guard(
      () =>
        joinWithTransitions({
          parts,
          transitions,
          target,
          outputPath: joined,
          workDir: scratch,
          concurrency: Math.max(1, options.concurrency ?? 1),
          signal: options.signal,
          onProgress: progress,
        }),
      options.signal,
      'join',
    ),
  );
}

async function namingDamagedClip<T>(clips: MediaInfo[], signal: AbortSignal | undefined, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof MediaError) || (error.code !== 'verify_failed' && error.code !== 'unsupported')) throw error;
    const damaged = await findDamagedClip(
      clips.map((clip) => clip.path),
      signal,
    );
    if (!damaged) throw error;
    throw new MediaError('corrupt', `Input clip ${damaged.index + 1} is damaged (${damaged.problem}); re-export or re-upload it.`, damaged.index);
  }
}

function verifyJoined(
  joined: string,
  expectedSec: number,
  joins: number,
  target: ResolvedTarget,
  options: StitchOptions,
  progress: (phase: StitchPhase, fraction: number) => void,
): Promise<VerifiedOutput> {
  progress('verify', 0);
  return guard(
    () =>
      verifyOutput(joined, {
        durationSec: expectedSec,
        joins,
        frameDurationSec: frameDurationSec(target.frameRate),
        width: target.width,
        height: target.height,
        videoCodec: VIDEO_CODECS[target.codec].codec,
        signal: options.signal,
        onProgress: (f) => progress('verify', f),
      }),
    options.signal,
    'verify',
  );
}

async function probeAll(options: StitchOptions, progress: (phase: StitchPhase, fraction: number) => void): Promise<MediaInfo[]> {
  progress('probe', 0);
  const clips: MediaInfo[] = new Array(options.inputs.length);
  let done = 0;
  // Probing is light (reads headers), so it runs a few at a time whatever the normalise budget.
  await runPool(
    options.inputs.map((path, index) => ({ path, index })),
    4,
    async ({ path, index }) => {
      clips[index] = await probeClip(path, index, options.signal);
      progress('probe', ++done / clips.length);
    },
  );
  return clips;
}

async function prepareVideo(
  clips: MediaInfo[],
  plans: ClipPlan[],
  target: ResolvedTarget,
  scratch: string,
  options: StitchOptions,
  progress: (phase: StitchPhase, fraction: number) => void,
  keyintFrames?: number,
): Promise<{ parts: JoinPart[]; warnings: string[] }> {
  const parts: JoinPart[] = clips.map((clip) => ({ clip, videoPath: clip.path, videoDurationSec: clip.video.durationSec }));
  const warned = new Map<number, string>();
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const threads = Math.max(1, Math.floor(cpus().length / concurrency));
  let totalSec = 0;
  const doneSec = new Map<number, number>();
  const report = () => progress('normalise', totalSec > 0 ? Math.min(1, [...doneSec.values()].reduce((a, b) => a + b, 0) / totalSec) : 1);
  const normaliseAll = async (indexes: number[]) => {
    totalSec += indexes.reduce((sum, index) => sum + clips[index].video.durationSec, 0);
    report();
    await runPool(
      indexes.map((index) => ({ clip: clips[index], index })),
      concurrency,
      async ({ clip, index }) => {
        const outputPath = join(scratch, `clip-${index + 1}.mp4`);
        log.info('normalising clip', { clip: index + 1, reasons: plans[index].reasons });
        const head = await guard(() => measureClipHead(clip, index, options.signal), options.signal, 'normalise', index);
        const normalise = () =>
          normaliseClip({
            clip,
            plan: plans[index],
            target,
            outputPath,
            threads,
            undecodableHeadSec: head.undecodableSec,
            keyintFrames,
            signal: options.signal,
            onProgress: (f) => {
              doneSec.set(index, f * clip.video.durationSec);
              report();
            },
          });
        await guard(() => (options.cpuSlots ? options.cpuSlots.run(normalise, options.signal) : normalise()), options.signal, 'normalise', index);
        doneSec.set(index, clip.video.durationSec);
        report();
        const videoDurationSec = await videoDuration(outputPath, options.signal);
        assertDecodedLength(clip, index, videoDurationSec, frameDurationSec(target.frameRate));
        if (head.undecodableSec > 0) warned.set(index, headWarning(index, head, clip));
        parts[index] = { clip, videoPath: outputPath, videoDurationSec };
      },
    );
  };
  await normaliseAll(plans.flatMap((plan, index) => (plan.action === 'normalise' ? [index] : [])));
  if (target.codec === 'h265') await normaliseAll(hevcStrays(parts, plans));
  progress('normalise', 1);
  return { parts, warnings: [...warned.entries()].sort(([a], [b]) => a - b).map(([, warning]) => warning) };
}

/**
 * HEVC in MP4 (hvc1) keeps its parameter sets out of band, and a stream-copy join keeps only the first
 * part's: a copied clip encoded with other ones would decode wrongly. Such clips are normalised after
 * all (their plans say why); the others share the normalised clips' sets, or the first clip's when none was.
 */
function hevcStrays(parts: JoinPart[], plans: ClipPlan[]): number[] {
  const sets = parts.map((part) => hevcParameterSets(part.videoPath));
  const normalised = plans.findIndex((plan) => plan.action === 'normalise');
  const reference = sets[normalised >= 0 ? normalised : 0];
  const strays = plans.flatMap((plan, index) => (plan.action === 'copy' && (sets[index] === undefined || sets[index] !== reference) ? [index] : []));
  for (const index of strays) plans[index] = { ...plans[index], action: 'normalise', reasons: ["H.265 parameter sets differ from the other clips'"] };
  return strays;
}

/** The normalised file's own video length, which the fps filter may round to whole frames. */
async function videoDuration(path: string, signal?: AbortSignal): Promise<number> {
  const out = await runFfprobe({ input: path, args: ['-select_streams', 'v:0', '-show_entries', 'stream=duration_ts,time_base', '-of', 'json'], signal });
  const [stream] = (JSON.parse(out) as { streams: Array<{ duration_ts: number; time_base: string }> }).streams;
  const [num, den] = stream.time_base.split('/').map(Number);
  return (stream.duration_ts * num) / den;
}

/** Turns ffmpeg failures into MediaErrors: cancellation, a clip that fails to decode, or an internal fault. */
async function guard<T>(step: () => Promise<T>, signal: AbortSignal | undefined, phase: StitchPhase, clipIndex?: number): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (signal?.aborted) throw new MediaError('cancelled', 'The stitch was cancelled.', clipIndex);
    if (error instanceof MediaError || !(error instanceof FfmpegError)) throw error;
    log.warn('ffmpeg failed', { phase, clip: clipIndex === undefined ? undefined : clipIndex + 1, stderr: error.stderrTail });
    if (clipIndex !== undefined) {
      throw new MediaError(
        'corrupt',
        `Input clip ${clipIndex + 1} could not be decoded (${error.message.replace(/^ffmpeg failed: /, '')}); re-export or re-upload it.`,
        clipIndex,
      );
    }
    throw new MediaError(
      'unsupported',
      `The clips could not be joined (${error.message.replace(/^ffmpeg failed: /, '')}); check the inputs or report this job.`,
    );
  }
}

/** Moves the verified file into place; only verified files ever reach outputPath. */
async function publish(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    const staging = `${to}.partial`;
    await copyFile(from, staging);
    await rename(staging, to);
  }
}
