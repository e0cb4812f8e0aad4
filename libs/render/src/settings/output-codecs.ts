import type { OutputCodec } from '@vrs/contracts';

/**
 * How the built-in renderer encodes each of the contract's output codecs (encoders in Debian's
 * ffmpeg): every output is an MP4 with AAC audio, so it can be stitched like any clip.
 */
export interface CodecProfile {
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

export const CODEC_PROFILES: Record<OutputCodec, CodecProfile> = {
  h264: {
    videoOptions: (speed) => ['-c:v', 'libx264', '-preset', X26X_PRESETS[speed].preset, '-crf', String(X26X_PRESETS[speed].crf)],
  },
  h265: {
    // hvc1 tag: Apple players refuse HEVC in MP4 tagged hev1.
    videoOptions: (speed) => [
      '-c:v',
      'libx265',
      '-preset',
      X26X_PRESETS[speed].preset,
      '-crf',
      String(X26X_PRESETS[speed].crf),
      '-tag:v',
      'hvc1',
      '-x265-params',
      'log-level=error',
    ],
  },
};
