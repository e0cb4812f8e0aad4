import { MediaInfo } from './media-info';
import { displaySize, fitInside, frameDurationSec, ResolvedTarget, sameFrameRate, ticksPerFrame, VIDEO_CODECS } from './output-target';
import { formatRational } from './rational';

export interface ClipPlan {
  action: 'copy' | 'normalise';
  /** Why the clip cannot be copied; empty for copies. */
  reasons: string[];
  /**
   * The picture's size once scaled, and where its top-left corner sits in the target frame: inside it
   * with bars around (contain), exactly on it (stretch), or beyond its edges, cropped (cover: x or y < 0).
   */
  placement: { width: number; height: number; x: number; y: number };
}

const MP4_FAMILY = /(^|,)(mov|mp4)(,|$)/;
const START_TOLERANCE_SEC = 0.001;

/**
 * Pure: can the clip's video packets go into the output untouched? Only when a decoder fed the joined
 * stream would see exactly what the target encoding produces: H.264 High (or H.265 Main) 4:2:0, same size, square
 * pixels, same steady frame rate, a time scale that holds it, and an MP4 track the concat demuxer reads
 * as stream 0 starting at zero. Audio never blocks a copy of the picture: sound the copy join cannot take
 * is rebuilt by the general join as one continuous track.
 */
export function planClip(clip: MediaInfo, target: ResolvedTarget): ClipPlan {
  const v = clip.video;
  const reasons: string[] = [];
  const display = displaySize(v);
  const wanted = VIDEO_CODECS[target.codec];
  if (v.codec !== wanted.codec) reasons.push(`codec ${v.codec} (needs ${wanted.name})`);
  else if (v.profile !== wanted.profile) reasons.push(`${wanted.name} profile ${v.profile ?? 'unknown'} (needs ${wanted.profile})`);
  if (v.pixFmt !== 'yuv420p') reasons.push(`pixel format ${v.pixFmt} (needs yuv420p)`);
  if (v.width !== target.width || v.height !== target.height) reasons.push(`size ${v.width}x${v.height} (needs ${target.width}x${target.height})`);
  if (v.sar.num !== v.sar.den) reasons.push(`pixel aspect ${v.sar.num}:${v.sar.den} (needs square pixels)`);
  if (v.rotation !== 0) reasons.push(`rotated ${v.rotation} degrees`);
  if (v.interlaced) reasons.push('interlaced (needs progressive)');
  if (!sameFrameRate(v.fps, target.frameRate))
    reasons.push(`frame rate ${v.fps ? formatRational(v.fps) : 'unknown'} (needs ${formatRational(target.frameRate)})`);
  else if (!sameFrameRate(v.avgFps, target.frameRate) || !frameCountMatches(clip, target))
    reasons.push('variable frame rate or an edit list that trims frames');
  else if (v.timeBase.num !== 1 || ticksPerFrame(v.timeBase.den, target.frameRate) === undefined)
    reasons.push(`time base ${v.timeBase.num}/${v.timeBase.den} cannot hold the frame rate exactly`);
  if (!MP4_FAMILY.test(clip.formatName)) reasons.push(`container ${clip.formatName} (needs MP4)`);
  if (v.index !== 0) reasons.push('video is not the first stream');
  if (Math.abs(v.startSec - clip.startSec) > START_TOLERANCE_SEC) reasons.push('video starts after the other streams');
  return {
    action: reasons.length === 0 ? 'copy' : 'normalise',
    reasons,
    placement: place(display, target),
  };
}

function place(display: { width: number; height: number }, target: ResolvedTarget): ClipPlan['placement'] {
  if (target.fit === 'stretch') return { width: target.width, height: target.height, x: 0, y: 0 };
  if (target.fit === 'contain') return centred(fitInside(display, target), target);
  // cover: the smallest scale that fills the frame both ways; the overhang is cut evenly from both sides.
  const scale = Math.max(target.width / display.width, target.height / display.height);
  const even = (value: number) => Math.max(2, Math.ceil(value / 2) * 2);
  return centred({ width: Math.max(target.width, even(display.width * scale)), height: Math.max(target.height, even(display.height * scale)) }, target);
}

/** The container's frame count agrees with duration × rate to within a frame (no hidden trims or VFR). */
function frameCountMatches(clip: MediaInfo, target: ResolvedTarget): boolean {
  const { frameCount, durationSec } = clip.video;
  if (frameCount === undefined) return false;
  return Math.abs(frameCount * frameDurationSec(target.frameRate) - durationSec) < frameDurationSec(target.frameRate) * 0.5;
}

function centred(size: { width: number; height: number }, box: { width: number; height: number }) {
  // Offsets stay even so 4:2:0 chroma lines up with the luma (negative when the picture overhangs the frame).
  const offset = (room: number) => Math.sign(room) * Math.floor(Math.abs(room) / 4) * 2;
  return { ...size, x: offset(box.width - size.width), y: offset(box.height - size.height) };
}
