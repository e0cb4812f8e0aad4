import { Inject, Injectable } from '@nestjs/common';
import { TEMPLATES, type StoredTemplate, type Templates } from '../../application/ports/templates.port';
import { ApiError } from '../../http/api-error';

@Injectable()
export class GetTemplateHandler {
  constructor(@Inject(TEMPLATES) private readonly templates: Templates) {}

  /** Another tenant's template answers 404, exactly like an unknown id. */
  async handle(tenantId: string, id: string): Promise<StoredTemplate> {
    const template = await this.templates.get(tenantId, id);
    if (!template) throw ApiError.notFound(`Template ${id}`);
    return template;
  }
}
