import { z } from 'zod';
import { DEFAULT_FONT, FONT_NAMES } from '../fonts/shipped-fonts';
import { checkComposition } from './composition-checks';
import { TEMPLATE_LIMITS as L } from './template-limits';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

export const colourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour written as #rrggbb, e.g. #ffcc00' });
export const mediaUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const seconds = z.number().min(0, { error: 'must be 0 or more seconds' });
/** A pixel position, or `center` to centre the layer on that axis. */
const position = z.union([z.number(), z.literal('center')], { error: 'must be a number of pixels or "center"' });
const layerSize = (max: number) =>
  z
    .number()
    .int()
    .positive()
    .max(max, { error: `must be at most ${max} px` });
const volume = z
  .number()
  .min(0)
  .max(L.maxVolume, { error: `must be between 0 and ${L.maxVolume}` });

const timing = { start: seconds.optional(), end: seconds.optional() };
const fades = { fadeInSec: seconds.optional(), fadeOutSec: seconds.optional() };
const layerName = z.string().min(1, { error: 'must not be empty' }).max(128);

export const textLayerSchema = z.strictObject({
  layerName,
  type: z.literal('text'),
  ...timing,
  ...fades,
  text: z.string().max(L.maxTextLength, { error: `must be at most ${L.maxTextLength} characters` }),
  font: z.enum(FONT_NAMES, { error: `unknown font; the shipped fonts are ${FONT_NAMES.map((f) => `"${f}"`).join(', ')}` }).default(DEFAULT_FONT),
  fontSize: z
    .number()
    .int()
    .min(L.minFontSize)
    .max(L.maxFontSize, { error: `must be between ${L.minFontSize} and ${L.maxFontSize}` })
    .default(48),
  color: colourSchema.default('#ffffff'),
  x: position.default(0),
  y: position.default(0),
});

const visualMedia = {
  ...timing,
  ...fades,
  src: mediaUrlSchema,
  x: position.default(0),
  y: position.default(0),
  width: layerSize(L.maxWidth).optional(),
  height: layerSize(L.maxHeight).optional(),
};

export const imageLayerSchema = z.strictObject({ layerName, type: z.literal('image'), ...visualMedia });
export const videoLayerSchema = z.strictObject({ layerName, type: z.literal('video'), ...visualMedia, volume: volume.default(1) });
export const audioLayerSchema = z.strictObject({ layerName, type: z.literal('audio'), ...timing, ...fades, src: mediaUrlSchema, volume: volume.default(1) });

export const layerSchema = z.discriminatedUnion('type', [textLayerSchema, imageLayerSchema, videoLayerSchema, audioLayerSchema], {
  error: 'type must be one of "text", "image", "video", "audio"',
});

export const backgroundSchema = z
  .strictObject({ color: colourSchema.default('#000000'), image: mediaUrlSchema.optional(), video: mediaUrlSchema.optional() })
  .refine((bg) => !(bg.image && bg.video), { error: 'give either a background image or a background video, not both', path: ['video'] });

const evenSide = (max: number) =>
  z
    .number()
    .int({ error: 'must be a whole number of pixels' })
    .min(L.minSide, { error: `must be at least ${L.minSide} px` })
    .max(max, { error: `must be at most ${max} px` })
    .refine((n) => n % 2 === 0, { error: 'must be even (H.264 yuv420p needs even sizes)' });

const compositionObjectSchema = z.strictObject({
  width: evenSide(L.maxWidth),
  height: evenSide(L.maxHeight),
  fps: z
    .number()
    .min(L.minFps, { error: `must be between ${L.minFps} and ${L.maxFps}` })
    .max(L.maxFps, { error: `must be between ${L.minFps} and ${L.maxFps}` }),
  durationSec: z
    .number()
    .positive({ error: 'must be more than 0 seconds' })
    .max(L.maxDurationSec, { error: `must be at most ${L.maxDurationSec} seconds` }),
  background: backgroundSchema.default({ color: '#000000' }),
  layers: z
    .array(layerSchema)
    .max(L.maxLayers, { error: `at most ${L.maxLayers} layers` })
    .default([]),
});

// The piped checks run only once the fields themselves are valid, so they can trust their types.
export const compositionSchema = compositionObjectSchema.pipe(z.custom<Composition>().superRefine(checkComposition));

export const nexrenderTemplateSchema = z.strictObject({
  /** The After Effects project (.aep) the farm renders, as an http(s) URL the workers can download. */
  templateSrc: mediaUrlSchema,
  /** Our composition name → the After Effects composition name (defaults to the same name). */
  compositions: z.record(z.string(), z.string().min(1)).default({}),
  outputModule: z.string().min(1).optional(),
  outputExt: z.enum(['mp4', 'mov']).default('mp4'),
});

const templateObjectSchema = z.strictObject({
  name: z.string().min(1).max(128),
  driver: z.enum(['builtin', 'nexrender'], { error: 'driver must be "builtin" or "nexrender"' }),
  compositions: z
    .record(z.string().regex(NAME, { error: 'composition names use letters, digits, space, _ . - (max 64)' }), compositionSchema)
    .refine((c) => Object.keys(c).length > 0, { error: 'a template needs at least one composition' }),
  nexrender: nexrenderTemplateSchema.optional(),
});

export const templateSchema = templateObjectSchema.pipe(
  z.custom<z.output<typeof templateObjectSchema>>().superRefine((template, ctx) => {
    if (template.driver === 'nexrender' && !template.nexrender) {
      ctx.addIssue({ code: 'custom', path: ['nexrender'], message: 'is required when driver is "nexrender"' });
    }
    for (const name of Object.keys(template.nexrender?.compositions ?? {})) {
      if (!(name in template.compositions)) {
        ctx.addIssue({ code: 'custom', path: ['nexrender', 'compositions', name], message: `maps composition "${name}", which the template does not have` });
      }
    }
  }),
);

export type Template = z.output<typeof templateSchema>;
export type TemplateInput = z.input<typeof templateSchema>;
export type Composition = z.output<typeof compositionObjectSchema>;
export type Layer = z.output<typeof layerSchema>;
export type TextLayer = z.output<typeof textLayerSchema>;
export type ImageLayer = z.output<typeof imageLayerSchema>;
export type VideoLayer = z.output<typeof videoLayerSchema>;
export type AudioLayer = z.output<typeof audioLayerSchema>;
export type Background = z.output<typeof backgroundSchema>;
export type NexrenderTemplate = z.output<typeof nexrenderTemplateSchema>;
