/**
 * Escapes a value for use as one option inside an ffmpeg filter graph (`name=key=VALUE:...`).
 * ffmpeg unescapes twice: first the graph parser (special: \ ' [ ] , ;), then the filter's option
 * parser (special: \ ' :). So the value is escaped for the option level first, then the graph level.
 * Only paths we create and expressions we build pass through here: user text never enters the graph
 * (drawtext reads it from a file).
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, '\\$&');
  return optionLevel.replace(/[\\'[\],;]/g, '\\$&');
}

/** Formats a number for ffmpeg expressions and options without exponent notation. */
export function num(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(6).replace(/0+$/, '');
}
