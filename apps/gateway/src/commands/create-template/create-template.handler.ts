import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@vrs/contracts';
import { summarise, validateTemplate } from '@vrs/render';
import { EVENT_OUTBOX, TRANSACTIONS, type EventOutbox, type Transactions } from '@vrs/service-kit';
import { TEMPLATES, type StoredTemplate, type Templates } from '../../application/ports/templates.port';
import { ApiError } from '../../http/api-error';

/**
 * Validates a template with the renderer's own rules and adds it to the tenant's catalogue; the
 * render-adapter's replica learns it from template.changed, written in the same transaction.
 */
@Injectable()
export class CreateTemplateHandler {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(TEMPLATES) private readonly templates: Templates,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
  ) {}

  async handle(tenantId: string, body: unknown): Promise<StoredTemplate> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ApiError.badRequest('The body must be a JSON object (a template).');
    const validation = validateTemplate(body);
    if (!validation.ok) throw ApiError.badRequest(`The template is invalid: ${summarise(validation.errors)}.`, validation.errors);
    const template: StoredTemplate = {
      id: randomUUID(),
      tenantId,
      name: validation.template.name,
      body: body as Record<string, unknown>,
      createdAt: new Date(),
    };
    await this.transactions.run(async () => {
      await this.templates.create(template);
      await this.outbox.publish(TOPICS.templateChanged, template.id, { tenantId, templateId: template.id, template: template.body });
    });
    return template;
  }
}
