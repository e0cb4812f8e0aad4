import type { MediaInfo } from '../src/stitch/media-info';

/** What probing a plain 10 s 720p30 H.264 + AAC MP4 reports; the overrides make the clip under test. */
export function probedClip(video: Partial<MediaInfo['video']> = {}, rest: Partial<MediaInfo> = {}): MediaInfo {
  return {
    path: '/in/a.mp4',
    sizeBytes: 1,
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    startSec: 0,
    durationSec: 10,
    video: {
      index: 0,
      codec: 'h264',
      profile: 'High',
      pixFmt: 'yuv420p',
      width: 1280,
      height: 720,
      sar: { num: 1, den: 1 },
      rotation: 0,
      fps: { num: 30, den: 1 },
      avgFps: { num: 30, den: 1 },
      timeBase: { num: 1, den: 15360 },
      startSec: 0,
      durationSec: 10,
      frameCount: 300,
      ...video,
    },
    audio: { index: 1, codec: 'aac', sampleRate: 48000, channels: 2, startSec: 0, durationSec: 10 },
    ...rest,
  };
}
