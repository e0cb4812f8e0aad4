import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Fonts that ship with the project (assets/fonts, DejaVu licence alongside). Templates name fonts,
 * never paths, so a template cannot make ffmpeg read an arbitrary file.
 */
export const SHIPPED_FONTS = {
  'DejaVu Sans': 'DejaVuSans.ttf',
  'DejaVu Sans Bold': 'DejaVuSans-Bold.ttf',
} as const;

export type FontName = keyof typeof SHIPPED_FONTS;
export const FONT_NAMES = Object.keys(SHIPPED_FONTS) as [FontName, ...FontName[]];
export const DEFAULT_FONT: FontName = 'DejaVu Sans';

let fontsDir: string | undefined;

/** `VRS_FONTS_DIR`, else the nearest `assets/fonts` above this file (works from src and dist). */
export function shippedFontsDir(): string {
  if (fontsDir) return fontsDir;
  if (process.env.VRS_FONTS_DIR) return (fontsDir = process.env.VRS_FONTS_DIR);
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'assets', 'fonts');
    if (existsSync(join(candidate, SHIPPED_FONTS[DEFAULT_FONT]))) return (fontsDir = candidate);
    if (dirname(dir) === dir) throw new Error('shipped fonts not found: set VRS_FONTS_DIR to the assets/fonts directory');
  }
}

export function fontFilePath(name: FontName): string {
  return join(shippedFontsDir(), SHIPPED_FONTS[name]);
}
