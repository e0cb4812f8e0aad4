import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ffprobeJson } from '@vrs/media';
import type { FetchMedia } from '../driver/render-driver';
import { RenderInputError } from '../render-input-error';

export type MediaKind = 'image' | 'video' | 'audio';

export interface LocalMedia {
  path: string;
  kind: MediaKind;
  hasAudio: boolean;
}

/** Media that downloaded fine but is not what the layer needs (e.g. an HTML page as an image). */
export class UnusableMediaError extends RenderInputError {}

// ffmpeg's image2 demuxer picks the decoder from the file extension, so stills are renamed to match.
const IMAGE_EXTENSIONS: Record<string, string> = { png: 'png', mjpeg: 'jpg', webp: 'webp', bmp: 'bmp', tiff: 'tif' };

/**
 * Downloads each distinct media URL once through the caller's `fetchMedia`, then probes it to check
 * it is the kind of media the layer needs before ffmpeg sees it.
 */
export class LocalMediaCache {
  private readonly byUrl = new Map<string, Promise<LocalMedia>>();

  constructor(
    private readonly workDir: string,
    private readonly fetchMedia: FetchMedia,
  ) {}

  get(url: string, kind: MediaKind, field: string): Promise<LocalMedia> {
    const key = `${kind} ${url}`;
    let media = this.byUrl.get(key);
    if (!media) {
      media = this.download(url, kind, field, join(this.workDir, `media-${this.byUrl.size}`));
      this.byUrl.set(key, media);
    }
    return media;
  }

  private async download(url: string, kind: MediaKind, field: string, path: string): Promise<LocalMedia> {
    try {
      await this.fetchMedia(url, path);
    } catch (error) {
      throw new Error(`could not fetch ${field} (${url}): ${(error as Error).message}`, { cause: error });
    }
    const streams = await ffprobeJson(path)
      .then((probe) => probe.streams)
      .catch(() => {
        throw unusable(field, url, 'cannot be read as media by ffmpeg');
      });
    const video = streams.find((s) => s.codec_type === 'video');
    const hasAudio = streams.some((s) => s.codec_type === 'audio');
    if (kind === 'audio') {
      if (!hasAudio) throw unusable(field, url, 'has no audio stream');
      return { path, kind, hasAudio };
    }
    if (!video) throw unusable(field, url, 'has no picture');
    if (kind === 'video') return { path, kind, hasAudio };
    const extension = IMAGE_EXTENSIONS[video.codec_name ?? ''];
    if (!extension) throw unusable(field, url, `is not a still image (png, jpeg, webp, bmp or tiff); it is ${video.codec_name}`);
    await rename(path, `${path}.${extension}`);
    return { path: `${path}.${extension}`, kind, hasAudio: false };
  }
}

function unusable(field: string, url: string, problem: string): UnusableMediaError {
  return new UnusableMediaError(`The media for ${field} ${problem}`, [{ field, message: `${url} ${problem}` }]);
}
