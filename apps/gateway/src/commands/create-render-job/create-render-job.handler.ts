import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { childJobId, renderJobBody, TOPICS } from '@vrs/contracts';
import { enqueueEvent, OutboxRelay } from '@vrs/messaging';
import { logger, withLogContext } from '@vrs/observability';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { parseBody } from '../../http/zod-body';
import { JobViews } from '../../infrastructure/job-views';
import { TemplateCatalogue } from '../../infrastructure/template-catalogue';

export interface AcceptedJob { id: string; outputKey: string; children: Array<{ id: string; outputKey: string }> }

/** Validates a render job against the tenant's templates, records it and emits `render-job.requested`, in one transaction. */
@Injectable()
export class CreateRenderJobHandler {
  private readonly log = logger('create-render-job');

  constructor(private readonly dataSource: DataSource, private readonly relay: OutboxRelay) {}

  async handle(tenant: Tenant, body: unknown): Promise<AcceptedJob> {
    const request = parseBody(renderJobBody, body);
    const issues = await new TemplateCatalogue(this.dataSource.manager).check(tenant.id, request);
    if (issues.length > 0) throw ApiError.badRequest(`The job does not fit its template: ${issues[0].field}: ${issues[0].message}.`, issues);
    const id = randomUUID();
    const outputKey = `${id}.mp4`;
    await withLogContext({ jobId: id, tenantId: tenant.id }, async () => {
      await this.dataSource.transaction(async (manager) => {
        await new JobViews(manager).insertQueued({ id, tenantId: tenant.id, type: 'render', outputKey }, new Date());
        await enqueueEvent(manager, TOPICS.renderJobRequested, id, { ...request, jobId: id, tenantId: tenant.id });
      });
      this.relay.wake();
      this.log.info('render job accepted', { template: request.template.id });
    });
    const children = request.assets.flatMap((asset, index) => (asset.type === 'job' ? [childJobId(id, index)] : []));
    return { id, outputKey, children: children.map((child) => ({ id: child, outputKey: `${child}.mp4` })) };
  }
}
