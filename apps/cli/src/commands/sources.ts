import { stat } from 'node:fs/promises';
import { extname, isAbsolute, resolve } from 'node:path';
import { uploadIdIn } from '@vrs/contracts';
import type { VrsApi } from '../api/vrs-api';
import { CliError } from '../cli-error';
import type { ProgressDisplay } from '../output/progress';

export type MediaKind = 'video' | 'image' | 'audio';

const MEDIA_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.avi': 'video/x-msvideo',
  '.ts': 'video/mp2t',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.aac': 'audio/aac',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
  '.flac': 'audio/flac',
};

/** A source as typed: an http(s) URL and an upload:// source go to the API as they are; anything else is a local file. */
export function isRemoteSource(value: string): boolean {
  return /^https?:\/\//i.test(value) || uploadIdIn(value) !== undefined;
}

/** The media type an upload of `path` is announced with: by extension, else the kind's most common one. */
export function contentTypeFor(path: string, kind: MediaKind): string {
  const known = MEDIA_TYPES[extname(path).toLowerCase()];
  if (known) return known;
  return { video: 'video/mp4', image: 'image/png', audio: 'audio/mpeg' }[kind];
}

/** The `src` for a source: remote ones unchanged, local files uploaded first (relative to `baseDir`). */
export async function sourceFor(value: string, kind: MediaKind, api: VrsApi, progress: ProgressDisplay, baseDir = process.cwd()): Promise<string> {
  if (isRemoteSource(value)) return value;
  const path = isAbsolute(value) ? value : resolve(baseDir, value);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new CliError(`File not found: ${value} (not an http(s) URL either).`);
  progress.start(`upload ${value}`, info.size, 'bytes');
  try {
    return await api.upload(path, info.size, contentTypeFor(path, kind), (done) => progress.update(done));
  } finally {
    progress.stop();
  }
}
