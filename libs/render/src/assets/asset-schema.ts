import { z } from 'zod';
import { TEMPLATE_LIMITS } from '../template/template-limits';
import { mediaUrlSchema } from '../template/template-schema';

const layerName = z.string().min(1, { error: 'must not be empty' });

/** Replaces a text layer's text (After Effects' "Source Text" property, as nexrender names it). */
export const dataAssetSchema = z.strictObject({
  type: z.literal('data'),
  layerName,
  property: z.literal('Source Text', { error: 'only "Source Text" can be set' }),
  value: z.string().max(TEMPLATE_LIMITS.maxTextLength, { error: `must be at most ${TEMPLATE_LIMITS.maxTextLength} characters` }),
});

/** Replaces a media layer's footage. */
export const mediaAssetSchema = z.strictObject({
  type: z.enum(['image', 'video', 'audio']),
  src: mediaUrlSchema,
  layerName,
});

export const injectedAssetSchema = z.discriminatedUnion('type', [dataAssetSchema, mediaAssetSchema], {
  error: 'type must be one of "data", "image", "video", "audio" (job assets are rendered first and injected as video)',
});

export type DataAsset = z.output<typeof dataAssetSchema>;
export type MediaAsset = z.output<typeof mediaAssetSchema>;
export type InjectedAsset = z.output<typeof injectedAssetSchema>;
