import type { EntityManager } from 'typeorm';
import { TOPICS, type FieldIssue, type RenderSettings, type TemplateAsset } from '@vrs/contracts';
import { enqueueEvent } from '@vrs/messaging';
import { buildRenderRequest, parseTemplate, RenderInputError, type Template } from '@vrs/render';

export interface StoredTemplate { id: string; tenantId: string; name: string; body: Record<string, unknown>; createdAt: Date }

/** What a job asks of a template: the same shape for render jobs, job assets and nested jobs. */
export interface TemplateUse {
  template: { id: string; composition: string };
  assets: TemplateAsset[];
  preview?: boolean;
  settings?: RenderSettings;
}

// Stands in for a nested job's output while checking that its layer can take a video.
const NESTED_OUTPUT_PLACEHOLDER = 'https://nested-job.invalid/output.mp4';

const fromRow = (row: any): StoredTemplate => ({ id: row.id, tenantId: row.tenant_id, name: row.name, body: row.body, createdAt: new Date(row.created_at) });

/**
 * The tenants' templates. Every change is published as `template.changed` in the same transaction,
 * so the render-adapter's replica follows the catalogue.
 */
export class TemplateCatalogue {
  constructor(private readonly manager: EntityManager) {}

  async create(template: StoredTemplate): Promise<void> {
    await this.manager.query('INSERT INTO templates (id, tenant_id, name, body, created_at) VALUES ($1, $2, $3, $4, $5)',
      [template.id, template.tenantId, template.name, JSON.stringify(template.body), template.createdAt]);
    await enqueueEvent(this.manager, TOPICS.templateChanged, template.id, { tenantId: template.tenantId, templateId: template.id, template: template.body });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    // For a DELETE, TypeORM answers [rows, affected count].
    const [, deleted] = await this.manager.query('DELETE FROM templates WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    if (deleted === 0) return false;
    await enqueueEvent(this.manager, TOPICS.templateChanged, id, { tenantId, templateId: id, template: null });
    return true;
  }

  async get(tenantId: string, id: string): Promise<StoredTemplate | null> {
    const [row] = await this.manager.query('SELECT * FROM templates WHERE id = $1 AND tenant_id = $2', [id, tenantId]);
    return row ? fromRow(row) : null;
  }

  async list(tenantId: string, limit: number): Promise<StoredTemplate[]> {
    const rows = await this.manager.query('SELECT * FROM templates WHERE tenant_id = $1 ORDER BY created_at DESC, id LIMIT $2', [tenantId, limit]);
    return rows.map(fromRow);
  }

  /**
   * Everything that can be known at submit time about a use of a template, and of the templates its
   * nested jobs use: unknown template, composition or layer, wrong asset type, bad settings.
   * Fields are prefixed with `prefix` (e.g. `assets[2].`) so they point into the request body.
   */
  async check(tenantId: string, use: TemplateUse, prefix = ''): Promise<FieldIssue[]> {
    const stored = await this.get(tenantId, use.template.id);
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
