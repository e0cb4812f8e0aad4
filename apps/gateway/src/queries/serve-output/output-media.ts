import { spriteKeyOfThumbnails, type OutputUrls } from '@vrs/contracts';

/** What the stored outputs are, by key: the video, its poster and sprite (JPEG), its thumbnail index (WebVTT). */
export function outputContentType(key: string): string {
  if (key.endsWith('.jpg')) return 'image/jpeg';
  if (key.endsWith('.vtt')) return 'text/vtt; charset=utf-8';
  return 'video/mp4';
}

/**
 * A thumbnail index as served: its stored cues name the sprite by its key (`<id>.thumbnails.jpg#xywh=…`,
 * which finds the file beside it anywhere it is copied); served, each names the sprite's own signed URL,
 * so a player that fetched the index through its signed URL can fetch the sprite too. Only that one
 * sprite's reference is signed: the index cannot obtain a signature for any other key.
 */
export function servedThumbnailIndex(key: string, stored: string, urls: OutputUrls): string {
  const sprite = spriteKeyOfThumbnails(key);
  if (!sprite) return stored;
  const signed = urls.urlFor(sprite);
  return stored
    .split('\n')
    .map((line) => (line.startsWith(`${sprite}#`) ? `${signed}${line.slice(sprite.length)}` : line))
    .join('\n');
}
