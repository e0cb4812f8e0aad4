import { FileHandle, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startPipeProcess } from '../../ffmpeg/ffmpeg-runner';
import { AAC_BITRATE } from '../output-target';
import { AAC_FRAME_SAMPLES as F, aacWindow, adtsFrames, adtsHeader, AacWindow, canSpliceAacWindows } from './aac';
import { CopyClip } from './copy-clip';
import { planSplices, SPLICE_CANDIDATES, SplicePlan } from './splice-plan';

/** A frame of the joined audio track: copied from a clip, or re-encoded around a join. */
const ENCODE_TIMEOUT_MS = 120_000;

/** A frame of the joined audio track: copied from a clip, or re-encoded around a join. */
export type AudioFrame = { clip: number; frame: number } | { data: Buffer };

export interface SplicedAudio {
  frames: AudioFrame[];
  /** Encoder delay of the joined track (the first clip's), for its edit list. */
  priming: number;
  presentedSamples: number;
  /** Where each clip starts in the output, in samples: its video must start there too. */
  starts: number[];
}

/**
 * Joins the clips' AAC tracks by copying their frames and re-encoding only a few frames around each
 * join. Returns the reason instead when the clips do not allow it.
 */
export async function spliceAudio(clips: CopyClip[], workDir: string, signal?: AbortSignal): Promise<SplicedAudio | string> {
  const sampleRate = clips[0].audio.aac.sampleRate;
  const plan = planSplices(clips.map((c) => ({
    priming: c.audio.priming,
    frames: c.audio.track.samples.count,
    length: c.audio.length,
    videoSamples: (c.video.track.samples.count * c.video.frameTicks * sampleRate) / c.video.track.timescale,
    frameSamples: (c.video.frameTicks * sampleRate) / c.video.track.timescale,
  })));
  if (typeof plan === 'string') return plan;
  const reader = await FrameReader.open(clips);
  try {
    const encoded = plan.regions.length ? await encodeRegions(clips, plan, reader, workDir, signal) : [];
    const frames = await chooseSplices(plan, encoded, reader, clips);
    if (typeof frames === 'string') return frames;
    return { frames, priming: clips[0].audio.priming, presentedSamples: plan.presentedSamples, starts: plan.starts };
  } finally {
    await reader.close();
  }
}

/** Decodes the clips' frames around every join, cuts and pads the sound into the stretches, and re-encodes them end to end in one ffmpeg run. */
async function encodeRegions(clips: CopyClip[], plan: SplicePlan, reader: FrameReader, workDir: string, signal?: AbortSignal): Promise<Buffer[]> {
  const { aac } = clips[0].audio;
  const adts: Buffer[] = [];
  let framesSoFar = 0;
  const append = async (clip: number, first: number, last: number) => {
    const start = framesSoFar;
    for (let i = first; i <= last; i++) {
      const frame = await reader.frame(clip, i);
      adts.push(adtsHeader(aac, frame.length), frame);
      framesSoFar++;
    }
    return start;
  };
  const cuts: Cut[] = [];
  for (const region of plan.regions) {
    // The first decoded frame of each run only primes the decoder's overlap; its output is skipped.
    const before = (await append(region.before, region.beforeFrames.first, region.beforeFrames.last)) + 1;
    const after = await append(region.after, 0, region.afterFrames.last);
    cuts.push({ from: before * F, samples: region.beforeSamples }, { samples: region.silence }, { from: after * F + clips[region.after].audio.priming, samples: region.afterSamples });
  }
  const graphPath = join(workDir, 'joins.filtergraph');
  // A script file, not an argument: hundreds of joins would exceed the kernel's per-argument limit.
  await writeFile(graphPath, stretchGraph(cuts, aac.sampleRate, aac.channels));
  const ffmpeg = startPipeProcess('ffmpeg', {
    args: ['-f', 'aac', '-i', 'pipe:0', '-filter_complex_script', graphPath, '-map', '[joins]', '-c:a', 'aac', '-b:a', AAC_BITRATE, '-f', 'adts', 'pipe:1'],
    signal,
    timeoutMs: ENCODE_TIMEOUT_MS,
  });
  return adtsFrames(await ffmpeg.run(Buffer.concat(adts)));
}

/** A run of decoded samples (from a sample position of the decoded ADTS stream), or silence when `from` is absent. */
interface Cut { from?: number; samples: number }

/** Pure: a filtergraph that cuts the runs out of the decoded stream and lays them end to end. */
export function stretchGraph(cuts: Cut[], sampleRate: number, channels: number): string {
  const kept = cuts.filter((c) => c.samples > 0);
  const decoded = kept.filter((c) => c.from !== undefined);
  const lines = [`[0:a]asplit=${decoded.length}${decoded.map((_, i) => `[d${i}]`).join('')}`];
  let next = 0;
  kept.forEach((cut, i) => {
    const source = cut.from === undefined
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
async function chooseSplices(plan: SplicePlan, encoded: Buffer[], reader: FrameReader, clips: CopyClip[]): Promise<AudioFrame[] | string> {
  const windowOf = async (clip: number, frame: number) => aacWindow(await reader.frame(clip, frame));
  const encodedWindow = (index: number) => (encoded[index] ? aacWindow(encoded[index]) : undefined);
  const matches = (before: AacWindow | undefined, after: AacWindow | undefined, afterPredecessor: AacWindow | undefined) =>
    canSpliceAacWindows(before, after) && before!.shape === afterPredecessor?.shape;

  const frames: AudioFrame[] = [];
  let keepFrom = 0;
  let blockOffset = 0;
  for (const region of plan.regions) {
    const { before, after } = region;
    const firstReencoded = region.firstBlock - plan.bases[before];
    let copyUntil: number | undefined;
    let firstNew = 0;
    for (let i = SPLICE_CANDIDATES; i >= 1 && copyUntil === undefined; i--) {
      const kept = firstReencoded + i - 2;
      if (matches(await windowOf(before, kept), encodedWindow(blockOffset + i), encodedWindow(blockOffset + i - 1))) {
        copyUntil = kept;
        firstNew = blockOffset + i;
      }
    }
    const firstKeptAfter = Math.ceil(clips[after].audio.priming / F);
    let resumeAt: number | undefined;
    let lastNew = 0;
    for (let j = firstKeptAfter; j < firstKeptAfter + SPLICE_CANDIDATES && resumeAt === undefined; j++) {
      const newIndex = blockOffset + plan.bases[after] + j - region.firstBlock;
      if (matches(encodedWindow(newIndex), await windowOf(after, j), await windowOf(after, j - 1))) {
        resumeAt = j;
        lastNew = newIndex;
      }
    }
    if (copyUntil === undefined || resumeAt === undefined) return `no clean splice point in the sound around join ${after}`;
    for (let j = keepFrom; j <= copyUntil; j++) frames.push({ clip: before, frame: j });
    for (let m = firstNew; m <= lastNew; m++) frames.push({ data: encoded[m] });
    keepFrom = resumeAt;
    blockOffset += region.endBlock - region.firstBlock;
  }
  const last = clips.length - 1;
  for (let j = keepFrom; j <= plan.lastFrame; j++) frames.push({ clip: last, frame: j });
  if (frames.length !== plan.bases[last] + plan.lastFrame + 1) throw new Error(`spliced audio has ${frames.length} frames, expected ${plan.bases[last] + plan.lastFrame + 1}`);
  return frames;
}

/** Random access to the clips' AAC frames; keeps each clip's file open while the audio is spliced. */
export class FrameReader {
  private constructor(private readonly clips: CopyClip[], private readonly handles: FileHandle[]) {}

  static async open(clips: CopyClip[]): Promise<FrameReader> {
    return new FrameReader(clips, await Promise.all(clips.map((c) => open(c.path, 'r'))));
  }

  async frame(clip: number, index: number): Promise<Buffer> {
    const { offsets, sizes } = this.clips[clip].audio.track.samples;
    const frame = Buffer.alloc(sizes[index]);
    await this.handles[clip].read(frame, 0, frame.length, offsets[index]);
    return frame;
  }

  async close(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.close()));
  }
}
