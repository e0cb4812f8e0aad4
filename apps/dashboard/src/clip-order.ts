/** `items` with the one at `from` moved to `to` (clamped to the list); the same array when nothing moves. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (from < 0 || from >= items.length || from === target) return items as T[];
  const next = [...items];
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved);
  return next;
}

/** Containers the stitcher reads, for files whose type the browser does not know. */
const VIDEO_TYPES: Record<string, string> = { mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska' };

/** The media type to declare for a local file: the browser's, else one from the extension; undefined when it is no video. */
export function videoTypeOf(file: { name: string; type: string }): string | undefined {
  if (file.type.startsWith('video/')) return file.type;
  if (file.type !== '' && file.type !== 'application/octet-stream') return undefined;
  return VIDEO_TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''];
}
