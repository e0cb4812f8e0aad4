import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { joinJobBody, TOPICS } from '@vrs/contracts';
import { enqueueEvent, OutboxRelay } from '@vrs/messaging';
import { logger, withLogContext } from '@vrs/observability';
import { GATEWAY_CONFIG } from '../../tokens';
import type { GatewayConfig } from '../../config';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { parseBody } from '../../http/zod-body';
import { JobViews } from '../../infrastructure/job-views';

/** Validates a join job, records it in the read model and emits `join.requested`, in one transaction. */
@Injectable()
export class CreateJoinJobHandler {
  private readonly log = logger('create-join-job');
  private readonly schema;

  constructor(private readonly dataSource: DataSource, private readonly relay: OutboxRelay, @Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.schema = joinJobBody(config.MAX_JOIN_ASSETS);
  }

  async handle(tenant: Tenant, body: unknown): Promise<{ id: string; outputKey: string }> {
    const request = parseBody(this.schema, body);
    const rendered = request.assets.findIndex((asset) => asset.type === 'job');
    if (rendered >= 0) {
      throw ApiError.badRequest('Job assets (clips rendered from templates) are not supported by this deployment yet.',
        [{ field: `assets[${rendered}].type`, message: 'only "video" assets are supported for now' }]);
    }
    const id = randomUUID();
    const outputKey = `${id}.mp4`;
    await withLogContext({ jobId: id, tenantId: tenant.id }, async () => {
      await this.dataSource.transaction(async (manager) => {
        await new JobViews(manager).insertQueued({ id, tenantId: tenant.id, type: 'join', outputKey }, new Date());
        await enqueueEvent(manager, TOPICS.joinRequested, id, { ...request, jobId: id, tenantId: tenant.id });
      });
      this.relay.wake();
      this.log.info('join job accepted', { clips: request.assets.length });
    });
    return { id, outputKey };
  }
}
