import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OutboxRelay } from '@vrs/messaging';
import { summarise, validateTemplate } from '@vrs/render';
import { ApiError } from '../../http/api-error';
import { TemplateCatalogue, type StoredTemplate } from '../../infrastructure/template-catalogue';
import { Transactions } from '../../infrastructure/transactions';

/** Validates a template with the renderer's own rules and adds it to the tenant's catalogue. */
@Injectable()
export class CreateTemplateHandler {
  constructor(private readonly transactions: Transactions, private readonly relay: OutboxRelay) {}

  async handle(tenantId: string, body: unknown): Promise<StoredTemplate> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ApiError.badRequest('The body must be a JSON object (a template).');
    const validation = validateTemplate(body);
    if (!validation.ok) {
      throw ApiError.badRequest(`The template is invalid: ${summarise(validation.errors)}.`, validation.errors);
    }
    const template: StoredTemplate = {
      id: randomUUID(), tenantId, name: validation.template.name, body: body as Record<string, unknown>, createdAt: new Date(),
    };
    await this.transactions.run((manager) => new TemplateCatalogue(manager).create(template));
    this.relay.wake();
    return template;
  }
}
