import { closeSync, openSync, readSync } from 'node:fs';
import { MediaInfo } from '../media-info';
import { reduced } from '../rational';
import { AAC_FRAME_SAMPLES, AAC_LC, AacConfig, parseEsds } from './aac';
import { AvcConfig, NAL_IDR, nalTypes, parseAvcConfig, parseSps, SpsFacts } from './avc';
import { Mp4Track, readMp4, sampleEntryChild } from './mp4-reader';

/** A clip the copy join can take as is, with the facts it needs to move its samples. */
export interface CopyClip {
  path: string;
  info: MediaInfo;
  video: CopyVideo;
  audio: CopyAudio;
}

export interface CopyVideo {
  track: Mp4Track;
  avc: AvcConfig;
  /** What the first sequence parameter set says. */
  sps: SpsFacts;
  /** Ticks per frame in the track's time scale (constant). */
  frameTicks: number;
  /** The edit list's media time: where presentation starts (B-frame delay). */
  presentationStart: number;
}

export interface CopyAudio {
  track: Mp4Track;
  aac: AacConfig;
  /** Encoder delay the edit list skips at the start, in samples. */
  priming: number;
  /** Samples of real sound after the priming. */
  length: number;
}

/** Bytes of a sample entry before its child boxes: SampleEntry (8) + VisualSampleEntry (70). */
export const VISUAL_ENTRY_FIELDS = 78;
/** SampleEntry (8) + AudioSampleEntry (20); QuickTime sound descriptions v1/v2 add 16/36. */
export const AUDIO_ENTRY_FIELDS = [28, 44, 64];
const H264_HIGH = 100;
const STTS_JITTER = 2;

/**
 * Reads an MP4 in process and says whether its samples can be copied as they are: one H.264 High
 * 8-bit 4:2:0 progressive video track at a constant frame rate starting with an IDR picture, one AAC-LC
 * track with its encoder delay in a simple edit list, nothing else. Returns the reason when not.
 * Anything it does not understand is a reason: such clips take the ffprobe path instead.
 */
export function inspectCopyClip(path: string): CopyClip | string {
  try {
    const file = readMp4(path);
    if (file.fragmented) return 'fragmented MP4';
    if (file.tracks.length !== 2) return `${file.tracks.length} track(s) instead of one video and one audio`;
    const videoTrack = file.tracks.find((t) => t.handler === 'vide');
    const audioTrack = file.tracks.find((t) => t.handler === 'soun');
    if (!videoTrack || !audioTrack) return 'not one video and one audio track';
    const video = inspectVideo(videoTrack, file.movieTimescale);
    if (typeof video === 'string') return video;
    const audio = inspectAudio(audioTrack, file.movieTimescale);
    if (typeof audio === 'string') return audio;
    if (![videoTrack, audioTrack].every(storedInOrder)) return 'samples not stored in decode order';
    if (!startsWithIdr(path, videoTrack, video.avc)) return 'video does not start with an IDR picture';
    return { path, info: mediaInfo(path, file.sizeBytes, video, audio), video, audio };
  } catch (error) {
    // Whatever this reader cannot make sense of goes to ffprobe, which explains real problems properly.
    return `not read in process (${error instanceof Error ? error.message : String(error)})`;
  }
}

function inspectVideo(track: Mp4Track, movieTimescale: number): CopyVideo | string {
  const { samples } = track;
  if (track.sampleEntries.length !== 1) return 'several video sample descriptions';
  const entry = track.sampleEntries[0];
  if (entry.toString('latin1', 4, 8) !== 'avc1') return `video sample entry ${entry.toString('latin1', 4, 8)}`;
  const avcC = sampleEntryChild(entry, VISUAL_ENTRY_FIELDS, 'avcC');
  if (!avcC) return 'no avcC';
  const avc = parseAvcConfig(avcC);
  if (avc.sps.length !== 1 || avc.pps.length < 1) return 'unusual parameter sets';
  const sps = parseSps(avc.sps[0]);
  if (sps.profileIdc !== H264_HIGH || sps.chromaFormatIdc !== 1 || sps.bitDepth !== 8) return 'not H.264 High 8-bit 4:2:0';
  if (!sps.frameMbsOnly) return 'may be interlaced';
  if (sps.fullRange) return 'full-range video';
  if (sps.width !== entry.readUInt16BE(32) || sps.height !== entry.readUInt16BE(34)) return 'sample entry and SPS disagree on the size';
  const pasp = sampleEntryChild(entry, VISUAL_ENTRY_FIELDS, 'pasp');
  if ((pasp && pasp.readUInt32BE(0) !== pasp.readUInt32BE(4)) || sps.sar.num !== sps.sar.den) return 'non-square pixels';
  if (!track.identityMatrix) return 'rotated or flipped';
  if (samples.count === 0) return 'no video samples';
  const frameTicks = samples.durations[0];
  if (frameTicks === 0 || samples.durations.some((d) => d !== frameTicks)) return 'variable frame rate';
  if (samples.sync && !samples.sync[0]) return 'first video sample is not a sync sample';

  let presentationStart = Infinity;
  for (let i = 0; i < samples.count; i++) presentationStart = Math.min(presentationStart, i * frameTicks + samples.compositionOffsets[i]);
  const shown = samples.count * frameTicks;
  if (!editShowsWholeTrack(track, movieTimescale, presentationStart, shown, frameTicks / 2)) return 'video edit list trims or delays frames';
  return { track, avc, sps, frameTicks, presentationStart };
}

function inspectAudio(track: Mp4Track, movieTimescale: number): CopyAudio | string {
  const { samples } = track;
  if (track.sampleEntries.length !== 1) return 'several audio sample descriptions';
  const entry = track.sampleEntries[0];
  if (entry.toString('latin1', 4, 8) !== 'mp4a') return `audio sample entry ${entry.toString('latin1', 4, 8)}`;
  const fields = AUDIO_ENTRY_FIELDS[entry.readUInt16BE(16)];
  const esds = fields === undefined ? undefined : sampleEntryChild(entry, fields, 'esds');
  const aac = esds && parseEsds(esds);
  if (!aac || aac.objectType !== AAC_LC) return 'audio is not AAC-LC';
  if (aac.sampleRate !== track.timescale || aac.channels < 1 || aac.channels > 2) return 'unusual AAC layout';
  const last = samples.count - 1;
  // Every AAC-LC frame holds 1024 samples; muxers that rescale timestamps write ±1 jitter, which the output drops.
  // A longer step is a hole in the sound, which copying would close up.
  const steady = (d: number, i: number) => Math.abs(d - AAC_FRAME_SAMPLES) <= STTS_JITTER || (i === last && d < AAC_FRAME_SAMPLES);
  if (samples.count < 2 || !samples.durations.every(steady)) return 'gaps in the audio timestamps';
  const [edit, ...more] = track.edits;
  // The encoder delay must be declared, or the first frame's output cannot be told from sound.
  if (!edit || more.length > 0 || edit.rate !== 1 || edit.mediaTime < AAC_FRAME_SAMPLES) return 'audio edit list missing or unusual';
  const stored = samples.count * AAC_FRAME_SAMPLES - edit.mediaTime;
  const declared = Math.round((edit.segmentDuration * track.timescale) / movieTimescale);
  return { track, aac, priming: edit.mediaTime, length: Math.min(stored, declared) };
}

/** No edit list, or one edit that starts at the first picture and runs (within rounding) to the last. */
function editShowsWholeTrack(track: Mp4Track, movieTimescale: number, start: number, shown: number, tolerance: number): boolean {
  if (track.edits.length === 0) return start === 0;
  if (track.edits.length !== 1) return false;
  const [edit] = track.edits;
  const length = (edit.segmentDuration * track.timescale) / movieTimescale;
  return edit.rate === 1 && edit.mediaTime === start && Math.abs(length - shown) <= tolerance;
}

/** Copying keeps each clip's storage order, so it must be the decode order (as every common muxer writes it). */
function storedInOrder(track: Mp4Track): boolean {
  const { offsets, count } = track.samples;
  for (let i = 1; i < count; i++) if (offsets[i] <= offsets[i - 1]) return false;
  return true;
}

function startsWithIdr(path: string, track: Mp4Track, avc: AvcConfig): boolean {
  const fd = openSync(path, 'r');
  try {
    const sample = Buffer.alloc(track.samples.sizes[0]);
    readSync(fd, sample, 0, sample.length, track.samples.offsets[0]);
    return nalTypes(sample, avc.nalLengthSize).includes(NAL_IDR);
  } finally {
    closeSync(fd);
  }
}

/** The same facts ffprobe would give, so the ordinary planner judges the clip. */
export function mediaInfo(path: string, sizeBytes: number, video: CopyVideo, audio: CopyAudio): MediaInfo {
  const { track } = video;
  const { sps } = video;
  const fps = reduced(track.timescale, video.frameTicks);
  const durationSec = (track.samples.count * video.frameTicks) / track.timescale;
  return {
    path,
    sizeBytes,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    startSec: 0,
    durationSec,
    video: {
      index: 0,
      codec: 'h264',
      profile: 'High',
      pixFmt: 'yuv420p',
      width: sps.width,
      height: sps.height,
      sar: { num: 1, den: 1 },
      rotation: 0,
      fps,
      avgFps: fps,
      timeBase: { num: 1, den: track.timescale },
      startSec: 0,
      durationSec,
      frameCount: track.samples.count,
      interlaced: false,
    },
    audio: {
      index: 1,
      codec: 'aac',
      sampleRate: audio.aac.sampleRate,
      channels: audio.aac.channels,
      startSec: 0,
      durationSec: audio.length / audio.aac.sampleRate,
    },
  };
}
