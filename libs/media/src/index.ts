export * from './ffmpeg/ffmpeg-runner';
export { MediaError } from './stitch/media-error';
export type { MediaErrorCode } from './stitch/media-error';
export type { MediaInfo, VideoStreamInfo, AudioStreamInfo } from './stitch/media-info';
export { probeMedia } from './stitch/probe-media';
export { DEFAULT_OUTPUT_TARGET } from './stitch/output-target';
export type { OutputTarget } from './stitch/output-target';
export { stitchClips } from './stitch/stitch-clips';
export type { StitchOptions, StitchReport, StitchPhase } from './stitch/stitch-clips';
