import { Inject, Injectable } from '@nestjs/common';
import type { FieldIssue, RenderSettings, TemplateAsset } from '@vrs/contracts';
import { buildRenderRequest, parseTemplate, RenderInputError, type Template } from '@vrs/render';
import { TEMPLATES, type Templates } from './ports/templates.port';

/** What a job asks of a template: the same shape for render jobs, job assets and nested jobs. */
export interface TemplateUse {
  template: { id: string; composition: string };
  assets: TemplateAsset[];
  preview?: boolean;
  settings?: RenderSettings;
}

// Stands in for a nested job's output while checking that its layer can take a video.
const NESTED_OUTPUT_PLACEHOLDER = 'https://nested-job.invalid/output.mp4';

/**
 * Everything that can be known at submit time about a use of a template, and of the templates its
 * nested jobs use: unknown template, composition or layer, wrong asset type, bad settings, with the
 * renderer's own rules. Fields are prefixed with `prefix` (e.g. `assets[2].`) so they point into the request body.
 */
@Injectable()
export class TemplateChecks {
  constructor(@Inject(TEMPLATES) private readonly templates: Templates) {}

  async check(tenantId: string, use: TemplateUse, prefix = ''): Promise<FieldIssue[]> {
    const stored = await this.templates.get(tenantId, use.template.id);
    if (!stored) return [{ field: `${prefix}template.id`, message: `unknown template "${use.template.id}"; create it with POST /templates first` }];
    const issues = checkAgainst(parseTemplate(stored.body), use).map((issue) => ({ field: `${prefix}${issue.field}`, message: issue.message }));
    for (const [index, asset] of use.assets.entries()) {
      if (asset.type === 'job') issues.push(...(await this.check(tenantId, { ...asset, assets: asset.assets }, `${prefix}assets[${index}].`)));
    }
    return issues;
  }
}

function checkAgainst(template: Template, use: TemplateUse): FieldIssue[] {
  const assets = use.assets.map((asset) => (asset.type === 'job' ? { type: 'video', layerName: asset.layerName, src: NESTED_OUTPUT_PLACEHOLDER } : asset));
  try {
    buildRenderRequest(template, { compositionName: use.template.composition, assets, preview: use.preview, settings: use.settings }, async () => undefined);
    return [];
  } catch (error) {
    if (error instanceof RenderInputError) return error.details;
    throw error;
  }
}
