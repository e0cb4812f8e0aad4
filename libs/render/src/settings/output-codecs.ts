/**
 * Output codecs the built-in renderer offers; all are encoders in Debian's ffmpeg. The container
 * follows the codec: H.264/H.265 go in MP4 with AAC audio, VP9 in WebM with Opus (WebM has no AAC).
 */
export const OUTPUT_CODECS = ['h264', 'h265', 'vp9'] as const;
export type OutputCodec = (typeof OUTPUT_CODECS)[number];

export interface CodecProfile {
  container: 'mp4' | 'webm';
  extension: 'mp4' | 'webm';
  audioEncoder: string;
  /** Output options for the given speed/quality trade-off. */
  videoOptions(speed: EncodeSpeed): string[];
}

/** How hard the encoder works: `preview` fastest, `draft` fast, `full` best. */
export type EncodeSpeed = 'preview' | 'draft' | 'full';

const X26X_PRESETS: Record<EncodeSpeed, { preset: string; crf: number }> = {
  preview: { preset: 'ultrafast', crf: 30 },
  draft: { preset: 'veryfast', crf: 26 },
  full: { preset: 'medium', crf: 20 },
};

const VP9_SPEEDS: Record<EncodeSpeed, { deadline: string; cpuUsed: number; crf: number }> = {
  preview: { deadline: 'realtime', cpuUsed: 8, crf: 40 },
  draft: { deadline: 'good', cpuUsed: 5, crf: 36 },
  full: { deadline: 'good', cpuUsed: 2, crf: 31 },
};

export const CODEC_PROFILES: Record<OutputCodec, CodecProfile> = {
  h264: {
    container: 'mp4',
    extension: 'mp4',
    audioEncoder: 'aac',
    videoOptions: (speed) => ['-c:v', 'libx264', '-preset', X26X_PRESETS[speed].preset, '-crf', String(X26X_PRESETS[speed].crf)],
  },
  h265: {
    container: 'mp4',
    extension: 'mp4',
    audioEncoder: 'aac',
    // hvc1 tag: Apple players refuse HEVC in MP4 tagged hev1.
    videoOptions: (speed) => ['-c:v', 'libx265', '-preset', X26X_PRESETS[speed].preset, '-crf', String(X26X_PRESETS[speed].crf), '-tag:v', 'hvc1', '-x265-params', 'log-level=error'],
  },
  vp9: {
    container: 'webm',
    extension: 'webm',
    audioEncoder: 'libopus',
    videoOptions: (speed) => {
      const s = VP9_SPEEDS[speed];
      return ['-c:v', 'libvpx-vp9', '-b:v', '0', '-crf', String(s.crf), '-deadline', s.deadline, '-cpu-used', String(s.cpuUsed), '-row-mt', '1'];
    },
  },
};
