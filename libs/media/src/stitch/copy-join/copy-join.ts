import { statSync } from 'node:fs';
import { logger } from '@vrs/observability';
import { startPipeProcess } from '../../ffmpeg/ffmpeg-runner';
import { planClip } from '../clip-plan';
import { frameDurationSec, OutputTarget, ResolvedTarget, resolveTarget } from '../output-target';
import { VerifiedOutput } from '../verify-output';
import { AAC_FRAME_SAMPLES, checkAacFrame } from './aac';
import { checkAvcSample, inBandParameterSets } from './avc';
import { CopyClip, inspectCopyClip } from './copy-clip';
import { DamagedInputError, OutputSample, OutputTrack, Placement, writeMp4 } from './mp4-writer';
import { spliceAudio, SplicedAudio, startStretchEncoder } from './splice-audio';
import { verifyCopyJoined } from './verify-copy';

const PIPE_TIMEOUT_MS = 120_000;

export interface CopyJoinJob {
  inputs: string[];
  outputPath: string;
  target?: Partial<OutputTarget>;
  signal?: AbortSignal;
  onProgress?: (phase: 'join' | 'verify', fraction: number) => void;
}

export interface CopyJoined {
  clips: CopyClip[];
  /** Where each clip starts in the output, in seconds. */
  startsSec: number[];
  target: ResolvedTarget;
  verified: VerifiedOutput;
}

const log = logger('stitch');
/** ffprobe reads the index and the first media bytes; the rest of the file is checked from the index in process. */
const PROBED_MEDIA_BYTES = 2 ** 20;

/**
 * The fast path for clips that already match each other: reads their MP4 indexes in process, copies
 * every video sample and almost every audio frame into a new MP4, re-encodes only a few audio frames
 * around each join, and checks the result. Returns undefined (having written nothing) when any clip
 * needs the general path. The ffmpeg that re-encodes the joins' audio and the ffprobe that checks
 * the result start first, so their start-up overlaps with reading the clips.
 */
export async function copyJoin(job: CopyJoinJob): Promise<CopyJoined | undefined> {
  const encoder = startStretchEncoder(job.signal);
  const prober = startPipeProcess('ffprobe', { args: ['-f', 'mp4', '-show_format', '-show_streams', '-of', 'json', '-i', 'pipe:0'], signal: job.signal, timeoutMs: PIPE_TIMEOUT_MS });
  try {
    const inspected = job.inputs.map((path) => inspectCopyClip(path, fileSize(path)));
    const refused = inspected.findIndex((c) => typeof c === 'string');
    if (refused >= 0) return declined(`clip ${refused + 1}: ${inspected[refused] as string}`);
    const clips = inspected as CopyClip[];
    const target = resolveTarget(clips[0].info, job.target);
    const mismatch = findMismatch(clips, target);
    if (mismatch) return declined(mismatch);

    const audio = await spliceAudio(clips, encoder);
    if (typeof audio === 'string') return declined(audio);
    const written = await writeMp4(job.outputPath, clips.map((c) => c.path), [videoTrack(clips, target, audio), audioTrack(clips, audio)], storageOrder(clips, audio))
      // The general path decodes what it needs and names a damaged clip precisely.
      .catch((error: unknown) => (error instanceof DamagedInputError ? `clip ${error.input + 1}: ${error.message}` : Promise.reject(error)));
    if (typeof written === 'string') return declined(written);
    job.onProgress?.('join', 1);

    job.onProgress?.('verify', 0);
    const expected = {
      durationSec: clips.reduce((sum, c) => sum + c.info.video.durationSec, 0), joins: clips.length - 1,
      frameDurationSec: frameDurationSec(target.frameRate), width: target.width, height: target.height,
    };
    const verified = await verifyCopyJoined(job.outputPath, written.indexBytes + PROBED_MEDIA_BYTES, prober, expected);
    return { clips, target, verified, startsSec: clipStartTicks(clips, target, audio).map((t) => t / target.timescale) };
  } finally {
    encoder.cancel();
    prober.cancel();
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function declined(reason: string): undefined {
  log.info('stitch takes the general path', { reason });
  return undefined;
}

/** Every clip must be copyable by the ordinary planner's rules, with audio and H.264 framing identical to the first clip's. */
function findMismatch(clips: CopyClip[], target: ResolvedTarget): string | undefined {
  const [first] = clips;
  for (const [index, clip] of clips.entries()) {
    const plan = planClip(clip.info, target);
    if (plan.action !== 'copy') return `clip ${index + 1}: ${plan.reasons.join(', ')}`;
    const { aac } = clip.audio;
    if (aac.sampleRate !== target.audioSampleRate || aac.channels !== target.audioChannels) return `clip ${index + 1}: audio ${aac.sampleRate} Hz ${aac.channels} ch`;
    if (!aac.bytes.equals(first.audio.aac.bytes)) return `clip ${index + 1}: AAC configuration differs from clip 1's`;
    if (clip.video.avc.nalLengthSize !== first.video.avc.nalLengthSize) return `clip ${index + 1}: H.264 framing differs from clip 1's`;
  }
  return undefined;
}

/**
 * Every video sample, in the first clip's time scale. Each clip starts where its sound starts
 * (`audio.starts`), so a clip's last picture lasts a little more or less than the others.
 */
function videoTrack(clips: CopyClip[], target: ResolvedTarget, audio: SplicedAudio): OutputTrack {
  const [first] = clips;
  const rescale = (ticks: number, clip: CopyClip) => Math.round((ticks * target.timescale) / clip.video.track.timescale);
  const startTicks = clipStartTicks(clips, target, audio);
  const presentationStart = rescale(first.video.presentationStart, first);
  const firstSets = inBandParameterSets(first.video.avc);
  const samples: OutputSample[] = [];
  for (const [file, clip] of clips.entries()) {
    const { track, frameTicks, presentationStart: clipStart } = clip.video;
    const { count, offsets, sizes, compositionOffsets, sync } = track.samples;
    const frame = rescale(frameTicks, clip);
    const lastFrame = file + 1 < clips.length ? startTicks[file + 1] - startTicks[file] - (count - 1) * frame : frame;
    // A clip encoded with other parameter sets carries them in its first picture, where decoders pick them up.
    const sets = inBandParameterSets(clip.video.avc);
    const prefix = sets.equals(firstSets) ? undefined : sets;
    for (let i = 0; i < count; i++) {
      samples.push({
        from: { file, offset: offsets[i], size: sizes[i], prefix: i === 0 ? prefix : undefined },
        duration: i === count - 1 ? lastFrame : frame,
        compositionOffset: rescale(compositionOffsets[i] - clipStart, clip) + presentationStart,
        sync: sync ? sync[i] === 1 : true,
      });
    }
  }
  return {
    handler: 'vide',
    timescale: target.timescale,
    sampleEntry: first.video.track.sampleEntries[0],
    samples,
    editMediaTime: presentationStart,
    presentedDuration: samples.reduce((sum, s) => sum + s.duration, 0),
    width: target.width,
    height: target.height,
    check: (sample) => checkAvcSample(sample, first.video.avc.nalLengthSize),
  };
}

function clipStartTicks(clips: CopyClip[], target: ResolvedTarget, audio: SplicedAudio): number[] {
  const sampleRate = clips[0].audio.aac.sampleRate;
  return audio.starts.map((start) => Math.round((start * target.timescale) / sampleRate));
}

/**
 * Each clip's samples in the order they sit in its file (so copying reads long runs, and keeps the
 * clip's own interleaving), with the re-encoded audio of a join stored between the two clips.
 */
function storageOrder(clips: CopyClip[], audio: SplicedAudio): Placement[] {
  const perClip: Array<Array<Placement & { offset: number }>> = clips.map(() => []);
  let videoSample = 0;
  for (const [k, clip] of clips.entries()) {
    const { count, offsets } = clip.video.track.samples;
    for (let i = 0; i < count; i++) perClip[k].push({ track: 0, sample: videoSample++, offset: offsets[i] });
  }
  const joins: Placement[][] = clips.map(() => []);
  let lastClip = 0;
  audio.frames.forEach((frame, sample) => {
    if ('data' in frame) joins[lastClip].push({ track: 1, sample });
    else perClip[(lastClip = frame.clip)].push({ track: 1, sample, offset: clips[frame.clip].audio.track.samples.offsets[frame.frame] });
  });
  return perClip.flatMap((placements, k) => [...placements.sort((a, b) => a.offset - b.offset), ...joins[k]]);
}

function audioTrack(clips: CopyClip[], audio: SplicedAudio): OutputTrack {
  const [first] = clips;
  const samples: OutputSample[] = audio.frames.map((frame) => {
    if ('data' in frame) return { from: frame.data, duration: AAC_FRAME_SAMPLES, compositionOffset: 0, sync: true };
    const { offsets, sizes } = clips[frame.clip].audio.track.samples;
    return { from: { file: frame.clip, offset: offsets[frame.frame], size: sizes[frame.frame] }, duration: AAC_FRAME_SAMPLES, compositionOffset: 0, sync: true };
  });
  return {
    handler: 'soun',
    timescale: first.audio.track.timescale,
    sampleEntry: first.audio.track.sampleEntries[0],
    samples,
    editMediaTime: audio.priming,
    presentedDuration: Math.min(audio.presentedSamples, samples.length * AAC_FRAME_SAMPLES - audio.priming),
    rollDistance: -1,
    check: (frame) => checkAacFrame(frame, first.audio.aac.channels),
  };
}
