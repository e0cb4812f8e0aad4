import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@vrs/contracts';
import { EVENT_OUTBOX, TRANSACTIONS, type EventOutbox, type Transactions } from '@vrs/service-kit';
import { TEMPLATES, type Templates } from '../../application/ports/templates.port';
import { ApiError } from '../../http/api-error';

/** Removes a template and tells the render-adapter's replica (template.changed with no body), in one transaction. */
@Injectable()
export class DeleteTemplateHandler {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(TEMPLATES) private readonly templates: Templates,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
  ) {}

  async handle(tenantId: string, id: string): Promise<void> {
    await this.transactions.run(async () => {
      if (!(await this.templates.delete(tenantId, id))) throw ApiError.notFound(`Template ${id}`);
      await this.outbox.publish(TOPICS.templateChanged, id, { tenantId, templateId: id, template: null });
    });
  }
}
