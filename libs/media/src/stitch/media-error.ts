export type MediaErrorCode =
  'empty_file' | 'not_media' | 'no_video' | 'no_audio' | 'corrupt' | 'truncated' | 'unsupported' | 'verify_failed' | 'cancelled' | 'invalid_settings';

/**
 * A stitch failure a person can act on. The message is one sentence; when it is about one input it
 * names it as "clip N" (1-based, in the order given) and `clipIndex` holds N - 1.
 */
export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    message: string,
    readonly clipIndex?: number,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}
