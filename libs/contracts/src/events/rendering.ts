import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MAX_TEMPLATE_ASSETS, previewOrSettings, renderSettings, templateAsset, templateRef, uploadSpec, webhookSpec } from './assets';
import { envelope, jobId, tenantId } from './common';

/**
 * The id of the child job rendered for `assets[index]` of `parentId`. Derived, not random, so the
 * gateway can answer with the children's ids at submit time and a redelivered request makes the same children.
 */
export function childJobId(parentId: string, index: number): string {
  return `c${createHash('sha256').update(`${parentId}/assets[${index}]`).digest('hex').slice(0, 31)}`;
}

/**
 * The event id of a job's work request (stitch.requested / render.requested), the same every time the
 * orchestrator sends it: workers de-duplicate by it, so a re-drive never makes a second stitch or render.
 */
export function workEventId(jobId: string): string {
  const hex = createHash('sha256').update(`${jobId}/work`).digest('hex');
  // RFC 9562 version 8 (custom), variant 10xx.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Where a job's output is stored: fixed by its id, so it is known before the job runs. */
export function jobOutputKey(id: string): string {
  return `${id}.mp4`;
}

/** Beside a join's output, when its settings ask for them: the poster, the thumbnail sprite and the sprite's WebVTT index. */
export const jobPosterKey = (id: string) => `${id}.poster.jpg`;
export const jobThumbnailSpriteKey = (id: string) => `${id}.thumbnails.jpg`;
export const jobThumbnailsKey = (id: string) => `${id}.thumbnails.vtt`;
const THUMBNAILS_KEY = /^(.+)\.thumbnails\.vtt$/;
/** The sprite a thumbnail index (`<id>.thumbnails.vtt`) refers to; undefined for any other key. */
export function spriteKeyOfThumbnails(key: string): string | undefined {
  const id = THUMBNAILS_KEY.exec(key)?.[1];
  return id === undefined ? undefined : jobThumbnailSpriteKey(id);
}

/**
 * The stored output of the child rendered for `assets[index]` of `parentId`. Workers read a rendered
 * clip from storage only at this key, derived from the job they work on: no event field can point them
 * at another job's (or tenant's) output.
 */
export function childOutputKey(parentId: string, index: number): string {
  return jobOutputKey(childJobId(parentId, index));
}

const renderJobFields = {
  template: templateRef,
  assets: z.array(templateAsset).max(MAX_TEMPLATE_ASSETS).default([]),
  preview: z.boolean().optional(),
  settings: renderSettings.optional(),
  upload: uploadSpec.optional(),
  webhook: webhookSpec.optional(),
};

/** The body of `POST /jobs`: render one template's composition with the given assets. */
export const renderJobBody = z.strictObject(renderJobFields).superRefine(previewOrSettings);
export type RenderJobBody = z.infer<typeof renderJobBody>;

/** gateway → orchestrator: a render job was accepted (nested job assets become child jobs). */
export const renderJobRequested = z.strictObject({ ...renderJobFields, ...envelope, jobId, tenantId }).superRefine(previewOrSettings);
export type RenderJobRequested = z.infer<typeof renderJobRequested>;

/**
 * render-adapter → orchestrator: the render is stored under `outputKey`. Keyed by the job itself, so
 * siblings finish in parallel on any orchestrator instance; the parent's row lock makes the barrier.
 */
export const childFinished = z.strictObject({
  ...envelope,
  jobId,
  parentId: jobId.nullable(),
  outputKey: z.string().min(1).max(256),
  durationSec: z.number().nonnegative(),
  /** Where the output was pushed when the render job had an `upload`. */
  uploadedUrl: z.string().optional(),
});
export type ChildFinished = z.infer<typeof childFinished>;

/** render-adapter → orchestrator: the render failed for good (after the driver's retries). */
export const childFailed = z.strictObject({
  ...envelope,
  jobId,
  parentId: jobId.nullable(),
  reason: z.string().min(1).max(4000),
  details: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
});
export type ChildFailed = z.infer<typeof childFailed>;

/** render-adapter → orchestrator, throttled: how far one render is (0..1). */
export const renderProgress = z.strictObject({ ...envelope, jobId, parentId: jobId.nullable(), fraction: z.number().min(0).max(1) });
export type RenderProgress = z.infer<typeof renderProgress>;

/**
 * gateway → render-adapter (key: template id): the tenant's template as stored, or `null` once
 * deleted. The gateway owns the catalogue; the adapter keeps a replica to render from.
 */
export const templateChanged = z.strictObject({
  ...envelope,
  tenantId,
  templateId: z.string().min(1).max(128),
  template: z.record(z.string(), z.unknown()).nullable(),
});
export type TemplateChanged = z.infer<typeof templateChanged>;
