import { Inject, Injectable } from '@nestjs/common';
import { TEMPLATES, type StoredTemplate, type Templates } from '../../application/ports/templates.port';

@Injectable()
export class ListTemplatesHandler {
  constructor(@Inject(TEMPLATES) private readonly templates: Templates) {}

  /** The tenant's templates, newest first. */
  handle(tenantId: string, limit: number): Promise<StoredTemplate[]> {
    return this.templates.list(tenantId, limit);
  }
}
