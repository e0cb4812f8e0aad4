import { z } from 'zod';
import { httpUrl, mediaSource } from './common';
import { OUTPUT_CODECS, transitionSpec } from './join-settings';

/** Assets one render job (or one job asset, or one nested job) may inject into its template. */
export const MAX_TEMPLATE_ASSETS = 100;
const JOIN_ASSET_TYPES = ['video', 'job'] as const;
const TEMPLATE_ASSET_TYPES = ['image', 'video', 'audio', 'data', 'job'] as const;

/** The message for an asset whose `type` is missing or not one this place takes. */
function unknownType(input: unknown, allowed: readonly string[], hint: string): string {
  // zod hands over the whole asset or, depending on the failure, only its discriminator.
  const type = input !== null && typeof input === 'object' ? (input as { type?: unknown }).type : input;
  const expected = allowed.map((t) => `"${t}"`).join(' or ');
  return type === undefined ? `is required: ${expected} (${hint})` : `${JSON.stringify(type)} is not an asset type here: use ${expected} (${hint})`;
}

/** The caller's bucket to push the result to (API.md "Upload"). */
export const uploadSpec = z.strictObject({
  provider: z.literal('s3'),
  prefix: z.string().max(512).optional(),
  outputUrl: httpUrl.optional(),
  params: z.strictObject({
    endpoint: httpUrl.optional(),
    region: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a region name such as us-east-1'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)'),
    acl: z.string().max(64).optional(),
    accessKeyId: z.string().min(1).max(256),
    accessKeySecret: z.string().min(1).max(512),
  }),
});
export type UploadSpec = z.infer<typeof uploadSpec>;

/** Where to report the job's end (API.md "Webhook"). */
export const webhookSpec = z.strictObject({
  url: httpUrl,
  method: z.enum(['POST', 'PUT', 'PATCH']).optional(),
  headers: z.record(z.string().max(256), z.string().max(4096)).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  custom: z.boolean().optional(),
});
export type WebhookSpec = z.infer<typeof webhookSpec>;

/** `transition`: into the next clip of the join, instead of the job's `settings.transition`. */
export const videoAsset = z.strictObject({ type: z.literal('video'), src: mediaSource, transition: transitionSpec.optional() });
export type VideoAsset = z.infer<typeof videoAsset>;

export const templateRef = z.strictObject({ id: z.string().min(1).max(128), composition: z.string().min(1).max(128) });

export const RENDER_QUALITIES = ['draft', 'full'] as const;
/** After Effects versions a nexrender farm may be asked for (the built-in renderer ignores it). */
export const RENDER_ENGINES = ['ae2025', 'ae2026'] as const;
export type RenderEngine = (typeof RENDER_ENGINES)[number];

const oneOf = (field: string, values: readonly string[]) => `${field} must be one of ${values.map((value) => `"${value}"`).join(', ')}`;
const frameIndex = z.number().int({ error: 'must be a whole frame number' }).min(0, { error: 'must be 0 or more' });

/** A render's `settings` (a render job, a job asset, a nested job); the renderer resolves them against the composition. */
export const renderSettings = z.strictObject({
  quality: z.enum(RENDER_QUALITIES, { error: oneOf('quality', RENDER_QUALITIES) }).optional(),
  codec: z.enum(OUTPUT_CODECS, { error: oneOf('codec', OUTPUT_CODECS) }).optional(),
  engine: z.enum(RENDER_ENGINES, { error: oneOf('engine', RENDER_ENGINES) }).optional(),
  /** One frame, or an inclusive `[start, end]` range (After Effects' -s/-e convention). */
  frames: z.union([frameIndex, z.tuple([frameIndex, frameIndex])], { error: 'frames must be a frame number or [start, end]' }).optional(),
});
export type RenderSettings = z.infer<typeof renderSettings>;

const layerName = z.string({ error: 'is required: the name of the template layer this asset replaces' }).min(1).max(128);
export const mediaLayerAsset = z.strictObject({ type: z.enum(['image', 'video', 'audio']), src: mediaSource, layerName });
export const dataLayerAsset = z.strictObject({
  type: z.literal('data'),
  layerName,
  property: z.literal('Source Text', { error: 'must be "Source Text" (the property of a text layer that a data asset sets)' }),
  value: z.string().max(10_000),
});

interface NestedJobAssetShape {
  type: 'job';
  layerName: string;
  template: z.infer<typeof templateRef>;
  assets: TemplateAsset[];
  preview?: boolean;
  settings?: RenderSettings;
}
export type TemplateAsset = z.infer<typeof mediaLayerAsset> | z.infer<typeof dataLayerAsset> | NestedJobAssetShape;

export const previewOrSettings = (value: { preview?: boolean; settings?: unknown }, ctx: z.RefinementCtx) => {
  if (value.preview !== undefined && value.settings !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['preview'], message: '"preview" and "settings" cannot be used together' });
  }
};

/** Assets injected into a template by layer name; a nested job renders first and becomes the layer's footage. */
export const templateAsset: z.ZodType<TemplateAsset> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      mediaLayerAsset,
      dataLayerAsset,
      z
        .strictObject({
          type: z.literal('job'),
          layerName,
          template: templateRef,
          assets: z.array(templateAsset).max(MAX_TEMPLATE_ASSETS),
          preview: z.boolean().optional(),
          settings: renderSettings.optional(),
        })
        .superRefine(previewOrSettings),
    ],
    { error: (issue) => unknownType(issue.input, TEMPLATE_ASSET_TYPES, 'what replaces the named template layer') },
  ),
) as z.ZodType<TemplateAsset>;

/** A clip of a join job rendered from a template first. */
export const jobAsset = z
  .strictObject({
    type: z.literal('job'),
    template: templateRef,
    assets: z.array(templateAsset).max(MAX_TEMPLATE_ASSETS).default([]),
    preview: z.boolean().optional(),
    settings: renderSettings.optional(),
    /** Into the next clip of the join, as on a video asset. */
    transition: transitionSpec.optional(),
  })
  .superRefine(previewOrSettings);
export type JobAsset = z.infer<typeof jobAsset>;

export const joinAsset = z.discriminatedUnion('type', [videoAsset, jobAsset], {
  error: (issue) =>
    unknownType(
      issue.input,
      JOIN_ASSET_TYPES,
      '"video" is a clip by URL, "job" a clip rendered from a template; image, audio and data assets go into a render job',
    ),
});
export type JoinAsset = z.infer<typeof joinAsset>;
