/** Upper bounds a template must stay within; they keep a single render's cost predictable. */
export const TEMPLATE_LIMITS = {
  maxWidth: 3840,
  maxHeight: 2160,
  minSide: 16,
  minFps: 1,
  maxFps: 60,
  maxDurationSec: 600,
  maxLayers: 64,
  maxTextLength: 2000,
  minFontSize: 4,
  maxFontSize: 1000,
  maxVolume: 4,
} as const;
