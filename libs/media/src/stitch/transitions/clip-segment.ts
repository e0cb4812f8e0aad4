import { closeSync, openSync, readSync } from 'node:fs';
import { AAC_FRAME_SAMPLES as F } from '../copy-join/aac';
import { NAL_IDR } from '../copy-join/avc';
import { CopyClip, mediaInfo } from '../copy-join/copy-clip';
import { mdatHeader, mp4Index, OutputSample } from '../copy-join/mp4-index';
import { Mp4Samples } from '../copy-join/mp4-reader';
import { Mp4Output } from '../copy-join/mp4-writer';
import type { ClipCuts } from './join-plan';

/** Bytes read from the front of a key picture to find its NAL unit types (parameter sets and SEI come first). */
const NAL_HEADER_BYTES = 4096;
/** AAC frames kept past a segment's last picture: the audio splice at the next join reads a few beyond the cut. */
const AUDIO_FRAMES_PAST_END = 3;

/**
 * Where a clip can be cut (see ClipCuts). A part may end after any prefix of its samples (decode order)
 * that shows exactly its first frames; it may start only at an IDR picture that also splits the frames
 * so, where it decodes on its own. At such a split, frame index and sample index agree.
 */
export function cutPoints(clip: CopyClip): ClipCuts {
  const { count, sync, compositionOffsets } = clip.video.track.samples;
  const ticks = clip.video.frameTicks;
  const shown = (i: number) => i * ticks + compositionOffsets[i];
  const laterMin = new Float64Array(count + 1).fill(Infinity);
  for (let i = count - 1; i >= 0; i--) laterMin[i] = Math.min(laterMin[i + 1], shown(i));
  const cuts: ClipCuts = { frames: count, starts: [], ends: [] };
  let earlierMax = -Infinity;
  const fd = openSync(clip.path, 'r');
  try {
    for (let i = 0; i < count; i++) {
      if (earlierMax < laterMin[i]) {
        if (i > 0) cuts.ends.push(i);
        if ((!sync || sync[i]) && isIdr(fd, clip, i)) cuts.starts.push(i);
      }
      earlierMax = Math.max(earlierMax, shown(i));
    }
  } finally {
    closeSync(fd);
  }
  cuts.ends.push(count);
  return cuts;
}

function isIdr(fd: number, clip: CopyClip, sample: number): boolean {
  const { offsets, sizes } = clip.video.track.samples;
  const head = Buffer.alloc(Math.min(sizes[sample], NAL_HEADER_BYTES));
  readSync(fd, head, 0, head.length, offsets[sample]);
  const lengthSize = clip.video.avc.nalLengthSize;
  for (let at = 0; at + lengthSize < head.length;) {
    if ((head[at + lengthSize] & 0x1f) === NAL_IDR) return true;
    at += lengthSize + head.readUIntBE(at, lengthSize);
  }
  return false;
}

/** Where frame `frame` of the clip starts in its sound, in samples after the encoder delay. */
export function frameSample(clip: CopyClip, frame: number): number {
  return Math.round((frame * clip.video.frameTicks * clip.audio.aac.sampleRate) / clip.video.track.timescale);
}

/**
 * Frames [from, to) of a clip as a clip of their own for the copy join (`from` a start, `to` an end): its
 * video samples, and the AAC frames from one before its first picture's sound (its new encoder delay
 * is what that frame and the part of the next before the picture hold) to a few past its end.
 */
export function segmentClip(clip: CopyClip, from: number, to: number): CopyClip {
  if (from === 0 && to === clip.video.track.samples.count) return clip;
  const video = {
    ...clip.video,
    track: { ...clip.video.track, samples: sliceSamples(clip.video.track.samples, from, to) },
    presentationStart: clip.video.track.samples.compositionOffsets[from],
  };
  const { audio } = clip;
  const startSample = frameSample(clip, from);
  const raw = audio.priming + startSample;
  const first = Math.floor(raw / F) - 1;
  const last = Math.min(audio.track.samples.count - 1, Math.ceil((audio.priming + frameSample(clip, to)) / F) + AUDIO_FRAMES_PAST_END);
  const priming = raw - first * F;
  const frames = last - first + 1;
  const segmentAudio = {
    ...audio,
    track: { ...audio.track, samples: sliceSamples(audio.track.samples, first, last + 1) },
    priming,
    length: Math.max(0, Math.min(frames * F - priming, audio.length - startSample)),
  };
  const sizeBytes = [video.track.samples, segmentAudio.track.samples].reduce((sum, s) => sum + s.sizes.reduce((a, b) => a + b, 0), 0);
  return { path: clip.path, info: mediaInfo(clip.path, sizeBytes, video, segmentAudio), video, audio: segmentAudio };
}

function sliceSamples(samples: Mp4Samples, from: number, to: number): Mp4Samples {
  return {
    count: to - from,
    offsets: samples.offsets.subarray(from, to),
    sizes: samples.sizes.subarray(from, to),
    durations: samples.durations.subarray(from, to),
    compositionOffsets: samples.compositionOffsets.subarray(from, to),
    sync: samples.sync?.subarray(from, to),
  };
}

/**
 * Writes frames [from, to) of a clip's picture (`from` a start, `to` an end) as a video-only MP4, its
 * samples copied: the pictures a transition is encoded from, so ffmpeg decodes only those and seeks nowhere.
 */
export async function writeVideoSegment(clip: CopyClip, from: number, to: number, path: string): Promise<void> {
  const { track, frameTicks } = clip.video;
  const { offsets, sizes, compositionOffsets, sync } = track.samples;
  // The first picture is shown first (a start); the edit list starts there, never before zero.
  const presentationStart = Math.max(0, compositionOffsets[from]);
  const layout = (start: number): OutputSample[] => {
    const samples: OutputSample[] = [];
    for (let i = from, at = start; i < to; at += sizes[i], i++) {
      samples.push({
        offset: at,
        size: sizes[i],
        duration: frameTicks,
        compositionOffset: compositionOffsets[i] - compositionOffsets[from] + presentationStart,
        sync: !sync || sync[i] === 1,
      });
    }
    return samples;
  };
  const index = (samples: OutputSample[]) =>
    mp4Index(
      [
        {
          handler: 'vide',
          timescale: track.timescale,
          sampleEntry: track.sampleEntries[0],
          samples,
          editMediaTime: presentationStart,
          presentedDuration: (to - from) * frameTicks,
          width: clip.info.video.width,
          height: clip.info.video.height,
        },
      ],
      false,
    );
  const mediaBytes = sizes.subarray(from, to).reduce((a, b) => a + b, 0);
  const header = mdatHeader(mediaBytes, false);
  // The index's size does not depend on the offsets it holds (one chunk), so its room is known first; 8 bytes more hold a free box.
  const indexRoom = index(layout(0)).length + 8;
  const output = await Mp4Output.create(path, [clip.path], indexRoom, header);
  try {
    const samples = layout(indexRoom + header.length);
    await output.place(samples.map((s, k) => ({ position: s.offset, file: 0, offset: offsets[from + k], size: s.size })));
    await output.writeIndex(index(samples));
  } finally {
    output.close();
  }
}
