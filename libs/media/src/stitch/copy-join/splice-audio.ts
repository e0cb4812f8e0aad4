import { closeSync, openSync, readSync } from 'node:fs';
import { PipeProcess, takeWarmPipeProcess } from '../../ffmpeg/pipe-process';
import { AAC_BITRATE } from '../output-target';
import { aacWindow, AacWindow, adtsFrames, adtsHeader, canSpliceAacWindows, AAC_FRAME_SAMPLES as F } from './aac';
import { CopyClip } from './copy-clip';
import { copyJoinCommand } from './copy-join-tools';
import { planSplices, SpliceClip, SplicePlan } from './splice-plan';

const ENCODE_TIMEOUT_MS = 120_000;

/** A frame of the joined audio track: copied from a clip, or re-encoded around a join. */
export type AudioFrame = { clip: number; frame: number } | { data: Buffer };

/** Where each clip's frames go and which stretches around the joins are re-encoded (see splice-plan). */
export function planAudio(clips: CopyClip[]): SplicePlan | string {
  return planSplices(clips.map(spliceClip));
}

/** What the splice plan needs to know of a clip's sound and picture. */
export function spliceClip(clip: CopyClip): SpliceClip {
  const { audio, video } = clip;
  return {
    priming: audio.priming,
    frames: audio.track.samples.count,
    length: audio.length,
    videoSamples: (video.track.samples.count * video.frameTicks * audio.aac.sampleRate) / video.track.timescale,
  };
}

/** Output frames around each join that come from the clips or the stretch depending on where the splice goes. */
export function undecidedFrames(plan: SplicePlan): Array<{ first: number; last: number }> {
  return plan.regions.map((r) => ({ first: Math.min(...r.stopCandidates), last: plan.bases[r.after] + Math.max(...r.resumeCandidates) - 1 }));
}

/** Decodes the clips' frames around every join, cuts and pads the sound into the stretches, and re-encodes them end to end. */
export async function encodeStretches(clips: CopyClip[], plan: SplicePlan, reader: FrameReader, encoder: PipeProcess): Promise<Buffer[]> {
  if (plan.regions.length === 0) return [];
  const { aac } = clips[0].audio;
  const adts: Buffer[] = [];
  let framesSoFar = 0;
  const append = (clip: number, first: number, last: number) => {
    const start = framesSoFar;
    for (let i = first; i <= last; i++) {
      const frame = reader.frame(clip, i);
      adts.push(adtsHeader(aac, frame.length), frame);
      framesSoFar++;
    }
    return start;
  };
  const cuts: Cut[] = [];
  for (const region of plan.regions) {
    // The first decoded frame of each run only primes the decoder's overlap; its output is skipped.
    const before = append(region.before, region.beforeFrames.first, region.beforeFrames.last) + 1;
    const after = append(region.after, 0, region.afterFrames.last);
    cuts.push(
      { from: before * F, samples: region.beforeSamples },
      { samples: region.silence },
      { from: after * F + clips[region.after].audio.priming, samples: region.afterSamples },
    );
  }
  const graph = stretchGraph(cuts, aac.sampleRate, aac.channels);
  return adtsFrames(await encoder.run(Buffer.concat(adts), Buffer.from(graph)));
}

/** Stands in for the encoder of a join without joins (one clip): nothing to encode, so no process. */
const NO_JOINS_TO_ENCODE: PipeProcess = {
  run: () => Promise.reject(new Error('a copy join of one clip has no joins to encode')),
  cancel: () => undefined,
};

/**
 * The ffmpeg that re-encodes the stretches around the joins: ADTS in on stdin, the filtergraph (which
 * needs the plan) on file descriptor 3, ADTS out on stdout.
 */
export const stretchEncoder = () => ({
  command: copyJoinCommand('ffmpeg'),
  args: [
    '-filter_complex_script',
    'pipe:3',
    '-f',
    'aac',
    '-i',
    'pipe:0',
    '-map',
    '[joins]',
    '-c:a',
    'aac',
    '-aac_coder',
    'fast',
    '-b:a',
    AAC_BITRATE,
    '-f',
    'adts',
    'pipe:1',
  ],
  extraInputs: 1,
});

/**
 * The stretch encoder for `joins` joins, started ahead (a stitch should not wait for its start-up, ~75 ms
 * of CPU for Debian's ffmpeg; see takeWarmPipeProcess and copyJoinCommand); a single clip has no joins and takes none.
 */
export function startStretchEncoder(joins: number, signal?: AbortSignal): PipeProcess {
  if (joins === 0) return NO_JOINS_TO_ENCODE;
  return takeWarmPipeProcess('ffmpeg', { ...stretchEncoder(), signal, timeoutMs: ENCODE_TIMEOUT_MS });
}

/** A run of decoded samples (from a sample position of the decoded ADTS stream), or silence when `from` is absent. */
interface Cut {
  from?: number;
  samples: number;
}

/** Pure: a filtergraph that cuts the runs out of the decoded stream and lays them end to end. */
function stretchGraph(cuts: Cut[], sampleRate: number, channels: number): string {
  const kept = cuts.filter((c) => c.samples > 0);
  const decoded = kept.filter((c) => c.from !== undefined);
  const lines = [`[0:a]asplit=${decoded.length}${decoded.map((_, i) => `[d${i}]`).join('')}`];
  let next = 0;
  kept.forEach((cut, i) => {
    const source =
      cut.from === undefined
        ? `anullsrc=r=${sampleRate}:cl=${channels === 1 ? 'mono' : 'stereo'},atrim=end_sample=${cut.samples}`
        : `[d${next++}]atrim=start_sample=${cut.from}:end_sample=${cut.from + cut.samples}`;
    lines.push(`${source},asetpts=N/SR/TB[p${i}]`);
  });
  lines.push(`${kept.map((_, i) => `[p${i}]`).join('')}concat=n=${kept.length}:v=0:a=1[joins]`);
  return lines.join(';\n');
}

/**
 * Picks, for each stretch, where copying stops and where it resumes: the first candidate (nearest the
 * clip's own frames) whose neighbouring windows match, so the overlap still cancels.
 */
/** No clean splice point in the sound at one join (between clips `join - 1` and `join`): the sound there decides. */
export interface Unspliceable {
  reason: string;
  join: number;
}

export function chooseSplices(plan: SplicePlan, encoded: Buffer[], reader: FrameReader, clips: CopyClip[]): AudioFrame[] | Unspliceable {
  const windowOf = (clip: number, frame: number) => aacWindow(reader.frame(clip, frame));
  const encodedWindow = (index: number) => (encoded[index] ? aacWindow(encoded[index]) : undefined);
  const matches = (before: AacWindow | undefined, after: AacWindow | undefined, afterPredecessor: AacWindow | undefined) =>
    canSpliceAacWindows(before, after) && before!.shape === afterPredecessor?.shape;

  const frames: AudioFrame[] = [];
  let keepFrom = 0;
  let blockOffset = 0;
  for (const region of plan.regions) {
    const { before, after } = region;
    // The stretch's n-th encoded frame (after the encoder's own priming frame) stands for output frame firstBlock + n.
    const encodedFor = (outputFrame: number) => blockOffset + outputFrame - region.firstBlock + 1;
    let stopAt: number | undefined;
    for (const p of region.stopCandidates) {
      if (stopAt === undefined && matches(windowOf(before, p - 1 - plan.bases[before]), encodedWindow(encodedFor(p)), encodedWindow(encodedFor(p) - 1)))
        stopAt = p;
    }
    let resumeAt: number | undefined;
    for (const j of region.resumeCandidates) {
      const lastNew = encodedFor(plan.bases[after] + j - 1);
      if (resumeAt === undefined && matches(encodedWindow(lastNew), windowOf(after, j), windowOf(after, j - 1))) resumeAt = j;
    }
    if (stopAt === undefined || resumeAt === undefined) return { reason: `no clean splice point in the sound around join ${after}`, join: after };
    for (let j = keepFrom; j < stopAt - plan.bases[before]; j++) frames.push({ clip: before, frame: j });
    for (let m = encodedFor(stopAt); m <= encodedFor(plan.bases[after] + resumeAt - 1); m++) frames.push({ data: encoded[m] });
    keepFrom = resumeAt;
    blockOffset += region.endBlock - region.firstBlock;
  }
  const last = clips.length - 1;
  for (let j = keepFrom; j <= plan.lastFrame; j++) frames.push({ clip: last, frame: j });
  if (frames.length !== plan.bases[last] + plan.lastFrame + 1)
    throw new Error(`spliced audio has ${frames.length} frames, expected ${plan.bases[last] + plan.lastFrame + 1}`);
  return frames;
}

/** Random access to the clips' AAC frames (small synchronous reads); keeps each clip's file open while the audio is spliced. */
export class FrameReader {
  private constructor(
    private readonly clips: CopyClip[],
    private readonly fds: number[],
  ) {}

  static open(clips: CopyClip[]): FrameReader {
    const fds: number[] = [];
    try {
      for (const clip of clips) fds.push(openSync(clip.path, 'r'));
    } catch (error) {
      fds.forEach((fd) => closeSync(fd));
      throw error;
    }
    return new FrameReader(clips, fds);
  }

  frame(clip: number, index: number): Buffer {
    const { offsets, sizes } = this.clips[clip].audio.track.samples;
    const frame = Buffer.alloc(sizes[index]);
    readSync(this.fds[clip], frame, 0, frame.length, offsets[index]);
    return frame;
  }

  close(): void {
    this.fds.forEach((fd) => closeSync(fd));
  }
}
