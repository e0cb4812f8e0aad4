import { Rational } from './rational';

/** What the stitcher needs to know about one input, normalised from ffprobe's JSON. */
export interface MediaInfo {
  path: string;
  sizeBytes: number;
  /** ffprobe's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  formatName: string;
  /** The container's start time; ffmpeg shifts every stream by it when reading the file. */
  startSec: number;
  durationSec: number;
  video: VideoStreamInfo;
  audio?: AudioStreamInfo;
}

export interface VideoStreamInfo {
  /** Index among all streams of the file. */
  index: number;
  codec: string;
  profile?: string;
  pixFmt: string;
  width: number;
  height: number;
  /** Sample (pixel) aspect ratio; 1/1 when the file does not say. */
  sar: Rational;
  /** Clockwise display rotation in degrees: 0, 90, 180 or 270. */
  rotation: number;
  /** The nominal frame rate (r_frame_rate) and the average one; they differ for variable frame rate. */
  fps?: Rational;
  avgFps?: Rational;
  timeBase: Rational;
  startSec: number;
  durationSec: number;
  /** Frames in the track as the container counts them; absent when it does not say (webm). */
  frameCount?: number;
  /** Stored as fields (broadcast, camcorders): shown on a progressive screen it combs unless deinterlaced. */
  interlaced?: boolean;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  sampleRate: number;
  channels: number;
  channelLayout?: string;
  startSec: number;
  durationSec: number;
}
