import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FfmpegError, runFfprobe } from '../ffmpeg/ffmpeg-runner';
import { MediaError } from './media-error';
import { AudioStreamInfo, MediaInfo, VideoStreamInfo } from './media-info';
import { parseRational, Rational } from './rational';

/** Demuxers that point at other files or URLs instead of holding media themselves. */
const INDIRECT_FORMATS = ['hls', 'applehttp', 'concat', 'ffconcat', 'dash', 'sdp', 'rtp', 'rtsp', 'ffmetadata', 'tee', 'data', 'm3u8'];
/** Demuxers for single pictures or picture sequences: not video clips. */
const IMAGE_FORMAT = /(^|,)(image2|\w+_pipe|gif|webp)(,|$)/;
const PROBE_TIMEOUT_MS = 60_000;
/** ffprobe's field orders for pictures stored as two fields (top or bottom first). */
const INTERLACED_FIELD_ORDERS = ['tt', 'bb', 'tb', 'bt'];

interface ProbeJson {
  format?: { format_name?: string; start_time?: string; duration?: string };
  streams?: Array<Record<string, unknown> & { codec_type?: string; disposition?: { attached_pic?: number } }>;
}

/** Probes one local file and explains, in one sentence, why it cannot be used as a clip. */
export function probeMedia(path: string, signal?: AbortSignal): Promise<MediaInfo> {
  return inspectInput(path, 'The file', undefined, signal);
}

/** probeMedia for input N of a stitch: errors name it "clip N". */
export function probeClip(path: string, clipIndex: number, signal?: AbortSignal): Promise<MediaInfo> {
  return inspectInput(path, `Input clip ${clipIndex + 1}`, clipIndex, signal);
}

async function inspectInput(path: string, subject: string, clipIndex: number | undefined, signal?: AbortSignal): Promise<MediaInfo> {
  const fail = (code: MediaError['code'], problem: string) => new MediaError(code, `${subject} ${problem}`, clipIndex);
  const absolute = resolve(path);
  const { json, sizeBytes } = await probeFile(absolute, 'video', fail, signal, clipIndex);
  return toMediaInfo(json, absolute, sizeBytes, fail);
}

/**
 * Probes the music of a join's `settings.soundtrack`: any file with an audio stream (a video's sound
 * too), never a playlist; errors name that field.
 */
export async function probeSoundtrack(path: string, signal?: AbortSignal): Promise<AudioStreamInfo> {
  const fail = (code: MediaError['code'], problem: string) => new MediaError(code, `The soundtrack (settings.soundtrack.src) ${problem}`);
  const { json } = await probeFile(resolve(path), 'audio', fail, signal);
  const formatName = json.format?.format_name ?? '';
  if (formatName.split(',').some((name) => INDIRECT_FORMATS.includes(name))) {
    throw fail('not_media', `is a playlist or reference to other files (${formatName}); supply the audio file itself.`);
  }
  const audio = json.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw fail('no_audio', 'has no audio stream; supply a music file such as MP3, AAC, WAV or FLAC.');
  const info = toAudio(audio, 0);
  if (!info.codec || !(info.sampleRate > 0) || !(info.channels > 0))
    throw fail('corrupt', 'has an audio stream that cannot be decoded; re-export or re-upload it.');
  return info;
}

/** Shared first steps of every probe: the file exists, is not empty or text, and ffprobe can open it. */
async function probeFile(
  absolute: string,
  kind: 'video' | 'audio',
  fail: (code: MediaError['code'], problem: string) => MediaError,
  signal?: AbortSignal,
  clipIndex?: number,
): Promise<{ json: ProbeJson; sizeBytes: number }> {
  const sizeBytes = await stat(absolute).then(
    (s) => (s.isFile() ? s.size : -1),
    () => -1,
  );
  if (sizeBytes < 0) throw fail('not_media', 'could not be read as a file; check that it was downloaded.');
  if (sizeBytes === 0) throw fail('empty_file', 'is empty (0 bytes); check the upload or the URL it came from.');
  const head = await readHead(absolute);
  const text = describeText(head);
  if (text) throw fail('not_media', `is ${text}, not ${kind === 'video' ? 'a video' : 'audio'}; check that its URL points at the media file itself.`);

  try {
    const json = JSON.parse(
      await runFfprobe({ input: absolute, args: ['-show_format', '-show_streams', '-of', 'json'], signal, timeoutMs: PROBE_TIMEOUT_MS }),
    ) as ProbeJson;
    if (lacksAnyDuration(json)) await measureByPackets(json, absolute, signal);
    return { json, sizeBytes };
  } catch (error) {
    if (signal?.aborted) throw new MediaError('cancelled', 'The stitch was cancelled.', clipIndex);
    const reason = error instanceof FfmpegError ? error.stderrTail : String(error);
    // A file that starts like a container but cannot be opened is damaged; anything else is not media.
    if (kind === 'audio') throw fail('not_media', `could not be read as audio (${lastLine(reason)}); supply a music file such as MP3, AAC, WAV or FLAC.`);
    if (!hasContainerSignature(head)) throw fail('not_media', 'is not in a video format ffmpeg recognises; check that it is a video file.');
    throw fail('corrupt', `is damaged and could not be read (${lastLine(reason)}); re-export or re-upload it.`);
  }
}

/** No duration anywhere: typical of browser recordings (MediaRecorder WebM) and live captures. */
function lacksAnyDuration(json: ProbeJson): boolean {
  const video = json.streams?.find((s) => s.codec_type === 'video');
  return video !== undefined && num(json.format?.duration) === undefined && num(video.duration) === undefined && lengthFromEndTag(video) === undefined;
}

/**
 * Measures each audio/video stream by the end of its last packet (one demux pass, nothing decoded)
 * and writes it into the probe as that stream's duration.
 */
async function measureByPackets(json: ProbeJson, path: string, signal?: AbortSignal): Promise<void> {
  const ends = new Map<number, number>();
  await runFfprobe({
    input: path,
    args: ['-show_entries', 'packet=stream_index,pts_time,duration_time', '-of', 'csv=p=0'],
    onLine: (line) => {
      const [index, pts, duration] = line.split(',').map(Number);
      const end = pts + (Number.isFinite(duration) ? duration : 0);
      if (Number.isFinite(end)) ends.set(index, Math.max(ends.get(index) ?? end, end));
    },
    signal,
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  for (const stream of json.streams ?? []) {
    const end = ends.get(Number(stream.index));
    const length = end === undefined ? undefined : end - (num(stream.start_time) ?? 0);
    if (length !== undefined && length > 0) stream.duration = String(length);
  }
}

/** Pure: turns ffprobe JSON into MediaInfo, or throws the reason it is not a usable clip. */
export function toMediaInfo(json: ProbeJson, path: string, sizeBytes: number, fail: (code: MediaError['code'], problem: string) => MediaError): MediaInfo {
  const formatName = json.format?.format_name ?? '';
  if (formatName.split(',').some((name) => INDIRECT_FORMATS.includes(name))) {
    throw fail('not_media', `is a playlist or reference to other files (${formatName}), not a video; supply the media file itself.`);
  }
  if (IMAGE_FORMAT.test(formatName)) throw fail('not_media', `is a still image (${formatName}), not a video; supply a video clip.`);
  const streams = json.streams ?? [];
  const videoJson = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audioJson = streams.find((s) => s.codec_type === 'audio');
  if (!videoJson && audioJson) throw fail('no_video', 'has audio but no video stream; supply a video clip.');
  if (!videoJson) throw fail('not_media', 'contains no video or audio stream; check that it is a video file.');
  const video = toVideo(videoJson);
  if (!video.codec || video.width <= 0 || video.height <= 0) {
    throw fail('corrupt', 'has a video stream whose size or codec cannot be read, so it is probably damaged; re-export or re-upload it.');
  }
  const startSec = num(json.format?.start_time) ?? 0;
  const durationSec = num(json.format?.duration) ?? video.durationSec;
  if (!(video.durationSec > 0) && !(durationSec > 0)) throw fail('corrupt', 'has no measurable duration, so it is probably damaged or empty; re-export it.');
  if (!(video.durationSec > 0)) video.durationSec = durationSec - (video.startSec - startSec);
  return { path, sizeBytes, formatName, startSec, durationSec, video, audio: audioJson ? toAudio(audioJson, video.startSec) : undefined };
}

function toVideo(s: Record<string, unknown>): VideoStreamInfo {
  const timeBase = parseRational(str(s.time_base)) ?? { num: 1, den: 1000 };
  return {
    index: Number(s.index),
    codec: str(s.codec_name) ?? '',
    profile: str(s.profile),
    pixFmt: str(s.pix_fmt) ?? '',
    width: Number(s.width ?? 0),
    height: Number(s.height ?? 0),
    sar: parseRational(str(s.sample_aspect_ratio)) ?? { num: 1, den: 1 },
    rotation: rotationOf(s),
    fps: parseRational(str(s.r_frame_rate)),
    avgFps: parseRational(str(s.avg_frame_rate)),
    timeBase,
    startSec: num(s.start_time) ?? 0,
    durationSec: exactDuration(s, timeBase) ?? lengthFromEndTag(s) ?? 0,
    frameCount: num(s.nb_frames),
    interlaced: INTERLACED_FIELD_ORDERS.includes(str(s.field_order) ?? ''),
  };
}

/** `fallbackStartSec`: where the stream starts when it does not say (a clip's: with its picture). */
function toAudio(s: Record<string, unknown>, fallbackStartSec: number): AudioStreamInfo {
  return {
    index: Number(s.index),
    codec: str(s.codec_name) ?? '',
    sampleRate: Number(s.sample_rate ?? 0),
    channels: Number(s.channels ?? 0),
    channelLayout: str(s.channel_layout),
    startSec: num(s.start_time) ?? fallbackStartSec,
    durationSec: num(s.duration) ?? lengthFromEndTag(s) ?? 0,
  };
}

/** duration_ts × time base is exact where "duration" is rounded to microseconds. */
function exactDuration(s: Record<string, unknown>, timeBase: Rational): number | undefined {
  const ticks = num(s.duration_ts);
  return ticks !== undefined ? (ticks * timeBase.num) / timeBase.den : num(s.duration);
}

/**
 * Matroska/WebM streams carry no duration of their own, only a DURATION tag ("HH:MM:SS.nnnnnnnnn",
 * the end of the stream's last frame). The file's duration is no substitute: it spans every stream,
 * subtitles included, and can be longer than the picture.
 */
function lengthFromEndTag(s: Record<string, unknown>): number | undefined {
  const tag = str((s.tags as Record<string, unknown> | undefined)?.DURATION);
  const match = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(tag ?? '');
  if (!match) return undefined;
  const end = Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
  const length = end - (num(s.start_time) ?? 0);
  return length > 0 ? length : undefined;
}

/** ffprobe reports the display matrix as a counter-clockwise angle, e.g. -90 for a portrait phone clip. */
function rotationOf(s: Record<string, unknown>): number {
  const sideData = (s.side_data_list as Array<{ rotation?: number }> | undefined)?.find((d) => d.rotation !== undefined);
  const angle = sideData?.rotation ?? num((s.tags as Record<string, unknown> | undefined)?.rotate) ?? 0;
  return (((Math.round(-angle / 90) * 90) % 360) + 360) % 360;
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Media containers carry binary bytes from the start; a text head means HTML, JSON, a playlist... */
function describeText(head: Buffer): string | undefined {
  if (head.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20))) return undefined;
  const start = head.toString('utf8').trimStart().slice(0, 200).toLowerCase();
  if (start.startsWith('<!doctype html') || start.includes('<html')) return 'an HTML page';
  if (start.startsWith('#extm3u') || start.startsWith('ffconcat')) return 'a playlist';
  return 'a text file';
}

/** Magic bytes of the containers clips arrive in: MP4/MOV boxes, Matroska/WebM, MPEG-TS, RIFF (AVI), FLV, Ogg. */
function hasContainerSignature(head: Buffer): boolean {
  if (head.length < 8) return false;
  const box = head.toString('latin1', 4, 8);
  if (['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'].includes(box)) return true;
  if (head.readUInt32BE(0) === 0x1a45dfa3) return true;
  if (head[0] === 0x47 && head[188] === 0x47) return true;
  return ['RIFF', 'FLV\x01', 'OggS'].includes(head.toString('latin1', 0, 4));
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value !== 'N/A' && value !== 'unknown' ? value : undefined;
}

function num(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : Number(str(value));
  return Number.isFinite(parsed) ? parsed : undefined;
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop()
      ?.replace(/^.*?: /, '')
      .replace(/\.$/, '') ?? 'unknown error'
  );
}
