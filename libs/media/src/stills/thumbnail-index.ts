/** How the thumbnails sit in their sprite: one row after another, left to right. */
export interface SpriteLayout {
  /** Seconds between thumbnails (may be more than asked when the sprite would be too large). */
  everySec: number;
  count: number;
  columns: number;
  rows: number;
  width: number;
  height: number;
}

/** The largest sprite made: 64 megapixels (8192 x 8192) keeps it decodable by browsers and its memory bounded. */
export const MAX_SPRITE_PIXELS = 8192 * 8192;

/**
 * Pure: one thumbnail per `everySec` from 0 (a picture at or a few frames after each multiple), `width` wide and
 * as tall as the video's shape gives (even), in a near-square grid. A sprite over MAX_SPRITE_PIXELS
 * spaces the thumbnails out (doubling the interval) until it fits.
 */
export function spriteLayout(durationSec: number, everySec: number, width: number, video: { width: number; height: number }): SpriteLayout {
  const height = Math.max(2, Math.round((width * video.height) / video.width / 2) * 2);
  let every = everySec;
  while (Math.ceil(durationSec / every) * width * height > MAX_SPRITE_PIXELS) every *= 2;
  const count = Math.max(1, Math.ceil(durationSec / every - 1e-9));
  const columns = Math.ceil(Math.sqrt(count));
  return { everySec: every, count, columns, rows: Math.ceil(count / columns), width, height };
}

/**
 * Pure: the WebVTT index of a sprite, one cue per thumbnail: `<spriteRef>#xywh=x,y,w,h` (Media
 * Fragments), the form seek-preview players (video.js, Vidstack, Plyr, JW Player) read. `spriteRef`
 * is resolved against the index's own URL, so a file name finds the sprite beside it.
 */
export function thumbnailIndex(layout: SpriteLayout, durationSec: number, spriteRef: string): string {
  const cues = Array.from({ length: layout.count }, (_, k) => {
    const x = (k % layout.columns) * layout.width;
    const y = Math.floor(k / layout.columns) * layout.height;
    const start = k * layout.everySec;
    const end = Math.min((k + 1) * layout.everySec, durationSec);
    return `${vttTime(start)} --> ${vttTime(Math.max(end, start + 0.001))}\n${spriteRef}#xywh=${x},${y},${layout.width},${layout.height}`;
  });
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

function vttTime(sec: number): string {
  const ms = Math.round(sec * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}
