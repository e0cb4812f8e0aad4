import { runFfprobe } from '../ffmpeg/ffmpeg-runner';
import { MediaError } from './media-error';
import { MediaInfo } from './media-info';

/**
 * A clip cut out of a stream (an MPEG-TS recording, typically) can start between key pictures: the
 * pictures before its first key picture cannot be decoded. Up to this long a head is lenient: the
 * clip keeps its length and sync (the first key picture stands still over the head) and the job
 * finishes with a warning. A longer head is most of a GOP or more, and fails the clip.
 */
export const MAX_UNDECODABLE_HEAD_SEC = 1;
/** A head may also never be half of the clip: then the "clip" is mostly a still picture. */
const MAX_UNDECODABLE_HEAD_SHARE = 0.5;

/** Before its first key picture, how much of a clip cannot be decoded (0 for clips that start with one). */
export interface ClipHead {
  undecodableSec: number;
}

/**
 * Reads the packet flags of the clip's first second or so (no decoding) and measures how long it runs
 * before its first key picture. Throws, naming the clip, when that head is too long to forgive.
 */
export async function measureClipHead(clip: MediaInfo, clipIndex: number, signal?: AbortSignal): Promise<ClipHead> {
  const window = MAX_UNDECODABLE_HEAD_SEC + 0.5;
  const csv = await runFfprobe({
    input: clip.path,
    args: ['-select_streams', `${clip.video.index}`, '-read_intervals', `%+${window}`, '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0'],
    signal,
    timeoutMs: 60_000,
  });
  const packets = csv
    .split('\n')
    .map((line) => line.split(','))
    .filter(([pts]) => pts !== undefined && pts !== '' && pts !== 'N/A');
  if (packets.length === 0 || packets[0][1]?.startsWith('K')) return { undecodableSec: 0 };
  const firstKey = packets.find(([, flags]) => flags?.startsWith('K'));
  const headSec = firstKey ? Math.max(0, Number(firstKey[0]) - clip.video.startSec) : Infinity;
  if (headSec > MAX_UNDECODABLE_HEAD_SEC || headSec >= clip.video.durationSec * MAX_UNDECODABLE_HEAD_SHARE) {
    const head = Number.isFinite(headSec) ? `its first key picture comes ${headSec.toFixed(3)} s in` : `it has no key picture in its first ${window} s`;
    throw new MediaError(
      'truncated',
      `Input clip ${clipIndex + 1} starts without a key picture (${head}), so only part of its ${clip.video.durationSec.toFixed(3)} s can be decoded; cut it at a key frame or re-export it.`,
      clipIndex,
    );
  }
  return { undecodableSec: headSec };
}

/** What the job's report says about a lenient head. */
export function headWarning(clipIndex: number, head: ClipHead, clip: MediaInfo): string {
  return `clip ${clipIndex + 1} starts without a key picture: its first ${head.undecodableSec.toFixed(3)} s (of ${clip.video.durationSec.toFixed(3)} s) could not be decoded and show its first key picture still`;
}

/** A clip may come out of normalising this much shorter than declared (rounding to whole frames, a last frame's length). */
export function lengthTolerance(frameSec: number): number {
  return Math.max(2 * frameSec, 0.1) + 0.001;
}

/**
 * Fails the clip when it decoded to clearly less than its container declares: a file cut short, or
 * one whose index promises frames its data does not hold. ffmpeg only warns about those and goes on,
 * so without this check the stitch would finish with a silently shortened output.
 */
export function assertDecodedLength(clip: MediaInfo, clipIndex: number, decodedSec: number, frameSec: number): void {
  const declaredSec = clip.video.durationSec;
  if (declaredSec - decodedSec <= lengthTolerance(frameSec)) return;
  throw new MediaError(
    'truncated',
    `Input clip ${clipIndex + 1} decodes to only ${decodedSec.toFixed(3)} s of the ${declaredSec.toFixed(3)} s its container declares (the file is cut short or its data is damaged); re-export or re-upload it.`,
    clipIndex,
  );
}
