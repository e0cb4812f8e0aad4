import { ResolvedTarget } from '../output-target';
import { AAC_FRAME_SAMPLES } from './aac';
import { inBandParameterSets } from './avc';
import { CopyClip } from './copy-clip';
import { mdatHeader, mp4Index, needsLargeOffsets, OutputSample } from './mp4-index';
import { Placed } from './mp4-writer';
import { undecidedFrames } from './splice-audio';
import { SplicePlan } from './splice-plan';

/** Where everything goes in the joined file, decided before the joins' audio is encoded. */
export interface FileLayout {
  /** Bytes at the front for ftyp + moov (+ a free box for what the moov does not use). */
  indexRoom: number;
  mediaBytes: number;
  largeFile: boolean;
  /** The samples whose source is already certain, to copy now. */
  pieces: Placed[];
  video: OutputSample[];
  /** The video edit list's media time: the first clip's B-frame delay, in the output time scale. */
  videoPresentationStart: number;
  /** Audio samples by output frame; undefined inside a join's room, whose frames are placed later. */
  audio: Array<OutputSample | undefined>;
  /** After each clip but the last: room for the output frames [first, last] around the join. */
  joinRooms: Array<{ first: number; last: number; position: number; bytes: number }>;
}

/** An AAC frame holds at most 6144 bits per channel. */
const MAX_AAC_FRAME_BYTES_PER_CHANNEL = 768;

/**
 * Pure (but for reading nothing): each clip's samples in the order they sit in its file, so copying
 * reads long runs and keeps the clip's own interleaving, followed by room for the audio frames around
 * the next join. Video is rescaled to the output time scale, every picture keeping its duration.
 */
export function layOutFile(
  clips: CopyClip[],
  plan: SplicePlan,
  target: ResolvedTarget,
  checks: { video: (bytes: Buffer) => string | undefined; audio: (bytes: Buffer) => string | undefined },
): FileLayout {
  const rescale = (ticks: number, clip: CopyClip) => Math.round((ticks * target.timescale) / clip.video.track.timescale);
  const [first] = clips;
  const videoPresentationStart = rescale(first.video.presentationStart, first);
  const firstSets = inBandParameterSets(first.video.avc);
  // When the clips were encoded with different parameter sets, every key picture carries its clip's own
  // in band, so decoding is right whether it starts at the beginning or after a seek into any clip.
  const mixedSets = clips.some((c) => !inBandParameterSets(c.video.avc).equals(firstSets));
  const rooms = undecidedFrames(plan);
  const audioFrameCount = plan.bases[clips.length - 1] + plan.lastFrame + 1;
  const maxFrameBytes = MAX_AAC_FRAME_BYTES_PER_CHANNEL * first.audio.aac.channels;

  const pieces: Placed[] = [];
  const video: OutputSample[] = [];
  const audio: Array<OutputSample | undefined> = new Array(audioFrameCount);
  const joinRooms: FileLayout['joinRooms'] = [];
  let position = 0;
  for (const [k, clip] of clips.entries()) {
    const { count, offsets, sizes, compositionOffsets, sync } = clip.video.track.samples;
    const frame = rescale(clip.video.frameTicks, clip);
    const sets = mixedSets ? inBandParameterSets(clip.video.avc) : undefined;
    const items: Array<{ offset: number; video?: number; audio?: number }> = [];
    for (let i = 0; i < count; i++) items.push({ offset: offsets[i], video: i });
    const firstAudio = k === 0 ? 0 : rooms[k - 1].last + 1;
    const lastAudio = k + 1 < clips.length ? rooms[k].first - 1 : audioFrameCount - 1;
    const audioTable = clip.audio.track.samples;
    for (let p = firstAudio; p <= lastAudio; p++) items.push({ offset: audioTable.offsets[p - plan.bases[k]], audio: p });
    items.sort((a, b) => a.offset - b.offset);

    for (const item of items) {
      if (item.video !== undefined) {
        const i = item.video;
        const key = sync ? sync[i] === 1 : true;
        const extra = key ? sets : undefined;
        if (extra) pieces.push({ position, data: extra });
        pieces.push({ position: position + (extra?.length ?? 0), file: k, offset: offsets[i], size: sizes[i], check: checks.video });
        video.push({
          offset: position,
          size: sizes[i] + (extra?.length ?? 0),
          duration: frame,
          compositionOffset: rescale(compositionOffsets[i] - clip.video.presentationStart, clip) + videoPresentationStart,
          sync: key,
        });
        position += sizes[i] + (extra?.length ?? 0);
      } else {
        const p = item.audio!;
        const j = p - plan.bases[k];
        pieces.push({ position, file: k, offset: audioTable.offsets[j], size: audioTable.sizes[j], check: checks.audio });
        audio[p] = { offset: position, size: audioTable.sizes[j], duration: AAC_FRAME_SAMPLES, compositionOffset: 0, sync: true };
        position += audioTable.sizes[j];
      }
    }
    if (k + 1 < clips.length) {
      const bytes = (rooms[k].last - rooms[k].first + 1) * maxFrameBytes;
      joinRooms.push({ ...rooms[k], position, bytes });
      position += bytes;
    }
  }
  // Each clip's video samples went in file order, which inspectCopyClip checked is their decode order.
  const mediaBytes = position;
  const largeFile = needsLargeOffsets(mediaBytes + 2 ** 24);
  const indexRoom = indexRoomFor(video, audioFrameCount, clips, target, largeFile);
  const mediaStart = indexRoom + mdatHeader(mediaBytes, largeFile).length;
  for (const piece of pieces) piece.position += mediaStart;
  for (const sample of [...video, ...audio]) if (sample) sample.offset += mediaStart;
  for (const room of joinRooms) room.position += mediaStart;
  return { indexRoom, mediaBytes, largeFile, pieces, video, videoPresentationStart, audio, joinRooms };
}

/**
 * An upper bound for ftyp + moov: the real index with every audio frame as a chunk of its own (the most
 * chunk offsets it can need) plus one sample-to-chunk entry per frame, and room for a free box.
 */
function indexRoomFor(video: OutputSample[], audioFrames: number, clips: CopyClip[], target: ResolvedTarget, largeFile: boolean): number {
  const audio = Array.from({ length: audioFrames }, (_, i) => ({ offset: i * 2, size: 1, duration: AAC_FRAME_SAMPLES, compositionOffset: 0, sync: true }));
  const index = mp4Index(
    [
      {
        handler: 'vide',
        timescale: target.timescale,
        sampleEntry: clips[0].video.track.sampleEntries[0],
        samples: video,
        editMediaTime: 0,
        presentedDuration: 0,
        width: target.width,
        height: target.height,
      },
      {
        handler: 'soun',
        timescale: clips[0].audio.track.timescale,
        sampleEntry: clips[0].audio.track.sampleEntries[0],
        samples: audio,
        editMediaTime: 0,
        presentedDuration: 0,
        rollDistance: -1,
      },
    ],
    largeFile,
  );
  return index.length + 12 * audioFrames + 64;
}
