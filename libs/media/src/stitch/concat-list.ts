/**
 * Pure: an ffconcat list that plays each file's video for exactly `durationSec`. Stating durations keeps
 * the next clip from starting after a longer audio track instead of right after the last frame.
 */
export function concatList(parts: Array<{ path: string; durationSec: number }>): string {
  const lines = ['ffconcat version 1.0'];
  for (const part of parts) {
    lines.push(`file ${quote(part.path)}`, `duration ${part.durationSec.toFixed(6)}`);
  }
  return lines.join('\n') + '\n';
}

/** ffconcat quoting: single quotes, with each quote written as '\'' */
function quote(path: string): string {
  return `'${path.replace(/'/g, "'\\''")}'`;
}
