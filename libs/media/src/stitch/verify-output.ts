import { runFfprobe } from '../ffmpeg/ffmpeg-runner';
import { topLevelBoxes } from './copy-join/mp4-reader';
import { MediaError } from './media-error';
import { parseRational } from './rational';

export interface VerifyExpectation {
  /** Sum of the inputs' video durations. */
  durationSec: number;
  joins: number;
  frameDurationSec: number;
  width: number;
  height: number;
  /** ffprobe's name of the video codec; h264 unless the caller asked for another. */
  videoCodec?: 'h264' | 'hevc';
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface VerifiedOutput {
  durationSec: number;
  videoDurationSec: number;
  audioDurationSec: number;
}

const MAX_AUDIO_VIDEO_GAP_SEC = 0.1;
/** Our output is constant frame rate with continuous audio: a longer jump between packets is a hole. */
export const MAX_PACKET_GAP_SEC = 0.25;

interface StreamJson {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration_ts?: number;
  time_base?: string;
  duration?: string;
}

/** ffprobe's -show_format -show_streams JSON, as far as the checks read it. */
export interface ProbedOutput {
  format: { duration?: string };
  streams: StreamJson[];
}

/** Checks the stitched file with ffprobe; throws verify_failed with the first broken property. */
export async function verifyOutput(path: string, expected: VerifyExpectation): Promise<VerifiedOutput> {
  const probed = JSON.parse(await runFfprobe({ input: path, args: ['-show_format', '-show_streams', '-of', 'json'], signal: expected.signal })) as ProbedOutput;
  const verified = checkStreams(probed, expected);
  checkIndexAtFront(topLevelBoxes(path));
  await checkPacketTimeline(path, verified.videoDurationSec, failure, expected);
  return verified;
}

export function failure(problem: string): MediaError {
  return new MediaError('verify_failed', `The stitched file failed its final check: ${problem}.`);
}

/** Pure: one H.264 (or the expected codec's) and one AAC stream of the expected size, lasting the sum of the clips, in sync. */
export function checkStreams(probed: ProbedOutput, expected: VerifyExpectation): VerifiedOutput {
  const videos = probed.streams.filter((s) => s.codec_type === 'video');
  const audios = probed.streams.filter((s) => s.codec_type === 'audio');
  if (videos.length !== 1 || audios.length !== 1 || probed.streams.length !== 2) {
    throw failure(`it has ${videos.length} video and ${audios.length} audio streams instead of one of each`);
  }
  const [video, audio] = [videos[0], audios[0]];
  const videoCodec = expected.videoCodec ?? 'h264';
  if (video.codec_name !== videoCodec || audio.codec_name !== 'aac')
    throw failure(`its codecs are ${video.codec_name}/${audio.codec_name} instead of ${videoCodec}/aac`);
  if (video.width !== expected.width || video.height !== expected.height) {
    throw failure(`its picture is ${video.width}x${video.height} instead of ${expected.width}x${expected.height}`);
  }
  const videoDurationSec = streamDuration(video);
  const audioDurationSec = streamDuration(audio);
  const tolerance = Math.max(1, expected.joins) * expected.frameDurationSec + 0.001;
  if (Math.abs(videoDurationSec - expected.durationSec) > tolerance) {
    throw failure(`its video lasts ${videoDurationSec.toFixed(3)} s but the clips add up to ${expected.durationSec.toFixed(3)} s`);
  }
  if (Math.abs(audioDurationSec - videoDurationSec) > MAX_AUDIO_VIDEO_GAP_SEC) {
    throw failure(`its audio lasts ${audioDurationSec.toFixed(3)} s and its video ${videoDurationSec.toFixed(3)} s`);
  }
  return { durationSec: Number(probed.format.duration ?? videoDurationSec), videoDurationSec, audioDurationSec };
}

/** Players start without downloading the whole file only when the index (moov) comes before the media (mdat). */
export function checkIndexAtFront(boxes: string[]): void {
  if (boxes.indexOf('moov') < 0 || boxes.indexOf('moov') > boxes.indexOf('mdat')) throw failure('its index (moov) is not at the front of the file');
}

function streamDuration(stream: StreamJson): number {
  const timeBase = parseRational(stream.time_base);
  if (stream.duration_ts !== undefined && timeBase) return (Number(stream.duration_ts) * timeBase.num) / timeBase.den;
  return Number(stream.duration ?? 0);
}

/** Decode timestamps must grow without holes in each stream; reads the packet table, not the pictures. */
async function checkPacketTimeline(path: string, durationSec: number, fail: (problem: string) => MediaError, expected: VerifyExpectation): Promise<void> {
  const last = new Map<string, number>();
  const lastTime = new Map<string, number>();
  let problem: string | undefined;
  let lines = 0;
  await runFfprobe({
    input: path,
    args: ['-show_entries', 'packet=stream_index,dts,dts_time', '-of', 'csv=p=0'],
    signal: expected.signal,
    onLine: (line) => {
      const [stream, dtsText, timeText] = line.trim().split(',');
      if (!stream || problem) return;
      const dts = Number(dtsText);
      const previous = last.get(stream);
      if (!Number.isFinite(dts)) problem = `a packet in stream ${stream} has no decode timestamp`;
      else if (previous !== undefined && dts <= previous) problem = `timestamps in stream ${stream} go backwards at ${timeText} s`;
      else if (Number(timeText) - (lastTime.get(stream) ?? Number(timeText)) > MAX_PACKET_GAP_SEC) {
        problem = `stream ${stream} has a ${(Number(timeText) - lastTime.get(stream)!).toFixed(3)} s hole at ${lastTime.get(stream)} s`;
      }
      last.set(stream, dts);
      lastTime.set(stream, Number(timeText));
      if (++lines % 2000 === 0) expected.onProgress?.(Math.min(1, Math.max(0, Number(timeText) / durationSec)));
    },
  });
  if (problem) throw fail(problem);
}
