import { logger } from '@vrs/observability';
import { keepSpare, PipeProcess } from '../../ffmpeg/pipe-process';
import { planClip } from '../clip-plan';
import { frameDurationSec, OutputTarget, ResolvedTarget, resolveTarget } from '../output-target';
import { VerifiedOutput } from '../verify-output';
import { AAC_FRAME_SAMPLES, checkAacFrame } from './aac';
import { checkAvcSample } from './avc';
import { CopyClip, inspectCopyClip } from './copy-clip';
import { assertCopyJoinToolsInstalled } from './copy-join-tools';
import { FileLayout, layOutFile } from './file-layout';
import { mdatHeader, mp4Index, OutputSample, OutputTrack } from './mp4-index';
import { DamagedInputError, Mp4Output, Placed } from './mp4-writer';
import { AudioFrame, chooseSplices, encodeStretches, FrameReader, planAudio, startStretchEncoder, stretchEncoder, Unspliceable } from './splice-audio';
import { SplicePlan } from './splice-plan';
import { outputProbe, startOutputProbe, verifyCopyJoined } from './verify-copy';

export interface CopyJoinJob {
  inputs: string[];
  outputPath: string;
  target?: Partial<OutputTarget>;
  signal?: AbortSignal;
  onProgress?: (phase: 'join' | 'verify', fraction: number) => void;
}

export interface CopyJoined {
  clips: CopyClip[];
  /** Where each clip's picture starts in the output, in seconds (its sound within ±10.7 ms of it). */
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
 * around each join, and checks the result. Returns undefined when any clip needs the general path.
 *
 * Order of work, for speed: the ffmpeg that re-encodes the joins' audio and the ffprobe that checks
 * the result were started ahead (see warmUpCopyJoin), else start first, so their start-up overlaps with
 * reading the clips; the bulk of the file is copied while the joins are encoded, into room left for
 * them; the index is written last, at the front.
 */
export async function copyJoin(job: CopyJoinJob): Promise<CopyJoined | undefined> {
  const encoder = startStretchEncoder(job.inputs.length - 1, job.signal);
  try {
    const clips = inspectCopyClips(job.inputs);
    if (typeof clips === 'string') return void declined(clips);
    const joined = await copyJoinClips({ ...job, clips, target: resolveTarget(clips[0].info, job.target), encoder });
    return 'verified' in joined ? joined : undefined;
  } finally {
    encoder.cancel();
  }
}

/** Starts the copy join's two helper processes ahead of the first join (a stitcher starting up). */
export function warmUpCopyJoin(): void {
  assertCopyJoinToolsInstalled();
  keepSpare('ffmpeg', stretchEncoder());
  keepSpare('ffprobe', outputProbe());
}

/** Reads every input in process: the clips, or why one cannot be copied. */
export function inspectCopyClips(inputs: string[]): CopyClip[] | string {
  const inspected = inputs.map(inspectCopyClip);
  const refused = inspected.findIndex((c) => typeof c === 'string');
  return refused >= 0 ? `clip ${refused + 1}: ${inspected[refused] as string}` : (inspected as CopyClip[]);
}

export interface CopyJoinClipsJob extends Omit<CopyJoinJob, 'inputs' | 'target'> {
  /** Whole clips, or parts of clips (see transitions/clip-segment), already inspected. */
  clips: CopyClip[];
  target: ResolvedTarget;
  /** The joins' audio encoder, when started early by the caller; one of its own otherwise. */
  encoder?: PipeProcess;
}

/** Why clips cannot be copy-joined; `soundAtJoin` when only the sound at that join stands in the way (see Unspliceable). */
export interface CopyJoinRefusal {
  refused: string;
  soundAtJoin?: number;
}

/** The copy join of clips already read (see copyJoin), or why they cannot be joined this way. */
export async function copyJoinClips(job: CopyJoinClipsJob): Promise<CopyJoined | CopyJoinRefusal> {
  const { clips, target } = job;
  const encoder = job.encoder ?? startStretchEncoder(clips.length - 1, job.signal);
  let prober: PipeProcess | undefined;
  // Taken once the encoder has its input (a cold start-up costs ~40 ms of CPU; the encoder's comes first).
  const startProber = () => (prober = startOutputProbe(job.signal));
  try {
    const mismatch = findMismatch(clips, target);
    if (mismatch) return declined(mismatch);
    const plan = planAudio(clips);
    if (typeof plan === 'string') return declined(plan);

    const written = await writeJoined(job.outputPath, clips, plan, target, encoder, startProber);
    if (typeof written === 'string') return declined(written);
    if ('join' in written) return { ...declined(written.reason), soundAtJoin: written.join };
    job.onProgress?.('join', 1);

    job.onProgress?.('verify', 0);
    const expected = {
      durationSec: clips.reduce((sum, c) => sum + c.info.video.durationSec, 0),
      joins: clips.length - 1,
      frameDurationSec: frameDurationSec(target.frameRate),
      width: target.width,
      height: target.height,
    };
    const verified = await verifyCopyJoined(job.outputPath, written.indexRoom + PROBED_MEDIA_BYTES, prober!, expected);
    const startsSec = clips.map((_, k) => clips.slice(0, k).reduce((sum, c) => sum + c.info.video.durationSec, 0));
    return { clips, target, verified, startsSec };
  } finally {
    encoder.cancel();
    prober?.cancel();
  }
}

/** Copies the certain samples while the joins' audio is encoded, then fills the joins and writes the index. */
async function writeJoined(
  path: string,
  clips: CopyClip[],
  plan: SplicePlan,
  target: ResolvedTarget,
  encoder: PipeProcess,
  onEncoderFed: () => void,
): Promise<FileLayout | Unspliceable | string> {
  const reader = FrameReader.open(clips);
  try {
    const encoding = encodeStretches(clips, plan, reader, encoder);
    encoding.catch(() => undefined); // awaited below unless copying fails first
    onEncoderFed();
    const layout = layOutFile(clips, plan, target, {
      video: (bytes) => checkAvcSample(bytes, clips[0].video.avc.nalLengthSize),
      audio: (bytes) => checkAacFrame(bytes, clips[0].audio.aac.channels),
    });
    const output = await Mp4Output.create(
      path,
      clips.map((c) => c.path),
      layout.indexRoom,
      mdatHeader(layout.mediaBytes, layout.largeFile),
    );
    try {
      await output.place(layout.pieces);
      const frames = chooseSplices(plan, await encoding, reader, clips);
      if (!Array.isArray(frames)) return frames;
      const audio = await placeJoinFrames(output, layout, frames, reader);
      await output.writeIndex(mp4Index([videoTrack(clips, target, layout), audioTrack(clips, plan, audio)], layout.largeFile));
      return layout;
    } catch (error) {
      // The general path decodes what it needs and names a damaged clip precisely.
      if (error instanceof DamagedInputError) return `clip ${error.input + 1}: ${error.message}`;
      throw error;
    } finally {
      output.close();
    }
  } finally {
    reader.close();
  }
}

/** Writes the frames around each join (copied or re-encoded) into the room left for them; returns every audio sample, placed. */
async function placeJoinFrames(output: Mp4Output, layout: FileLayout, frames: AudioFrame[], reader: FrameReader): Promise<OutputSample[]> {
  const audio = layout.audio.slice();
  const pieces: Placed[] = [];
  for (const room of layout.joinRooms) {
    let position = room.position;
    for (let p = room.first; p <= room.last; p++) {
      const frame = frames[p];
      const data = 'data' in frame ? frame.data : reader.frame(frame.clip, frame.frame);
      pieces.push({ position, data });
      audio[p] = { offset: position, size: data.length, duration: AAC_FRAME_SAMPLES, compositionOffset: 0, sync: true };
      position += data.length;
    }
    if (position > room.position + room.bytes) throw new Error('re-encoded audio frames overflow the room left for them');
  }
  await output.place(pieces);
  return audio as OutputSample[];
}

function videoTrack(clips: CopyClip[], target: ResolvedTarget, layout: FileLayout): OutputTrack {
  return {
    handler: 'vide',
    timescale: target.timescale,
    sampleEntry: clips[0].video.track.sampleEntries[0],
    samples: layout.video,
    editMediaTime: layout.videoPresentationStart,
    presentedDuration: layout.video.reduce((sum, s) => sum + s.duration, 0),
    width: target.width,
    height: target.height,
  };
}

function audioTrack(clips: CopyClip[], plan: SplicePlan, samples: OutputSample[]): OutputTrack {
  const priming = clips[0].audio.priming;
  return {
    handler: 'soun',
    timescale: clips[0].audio.track.timescale,
    sampleEntry: clips[0].audio.track.sampleEntries[0],
    samples,
    editMediaTime: priming,
    presentedDuration: Math.min(plan.presentedSamples, samples.length * AAC_FRAME_SAMPLES - priming),
    rollDistance: -1,
  };
}

/** Every clip must be copyable by the ordinary planner's rules, with audio and H.264 framing identical to the first clip's. */
export function findMismatch(clips: CopyClip[], target: ResolvedTarget): string | undefined {
  // The copy join keeps the clips' own AAC frames; a chosen bit rate means encoding the sound anew.
  if (target.audioBitrate) return `the sound is re-encoded at ${target.audioBitrate} kbit/s`;
  const [first] = clips;
  for (const [index, clip] of clips.entries()) {
    const plan = planClip(clip.info, target);
    if (plan.action !== 'copy') return `clip ${index + 1}: ${plan.reasons.join(', ')}`;
    const { aac } = clip.audio;
    if (aac.sampleRate !== target.audioSampleRate || aac.channels !== target.audioChannels)
      return `clip ${index + 1}: audio ${aac.sampleRate} Hz ${aac.channels} ch`;
    if (!aac.bytes.equals(first.audio.aac.bytes)) return `clip ${index + 1}: AAC configuration differs from clip 1's`;
    if (clip.video.avc.nalLengthSize !== first.video.avc.nalLengthSize) return `clip ${index + 1}: H.264 framing differs from clip 1's`;
  }
  return undefined;
}

function declined(reason: string): CopyJoinRefusal {
  log.info('the copy join declines', { reason });
  return { refused: reason };
}
