import { z } from 'zod';
import { renderSettings, templateAsset, templateRef, uploadSpec } from './assets';
import { envelope, jobId, tenantId } from './common';

/** orchestrator → render-adapter: render one template into `outputKey` (a child of `parentId`, or a render job). */
export const renderRequested = z.strictObject({
  ...envelope,
  jobId,
  parentId: jobId.nullable(),
  tenantId,
  template: templateRef,
  assets: z.array(templateAsset),
  preview: z.boolean().optional(),
  settings: renderSettings.optional(),
  outputKey: z.string().min(1).max(256),
  /** Indexes of `assets` that are nested jobs' outputs: read from storage at childOutputKey(jobId, index), not through their src. */
  renderedAssets: z.array(z.number().int().nonnegative()).max(100).optional(),
  /** Only on a render job of its own (not a child): also push the output to the caller's bucket. */
  upload: uploadSpec.optional(),
});
export type RenderRequested = z.infer<typeof renderRequested>;
