import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { childJobId, joinJobBody, TOPICS, uploadSecretKey } from '@vrs/contracts';
import { enqueueEvent, OutboxRelay } from '@vrs/messaging';
import { logger, withLogContext } from '@vrs/observability';
import { GATEWAY_CONFIG } from '../../tokens';
import type { GatewayConfig } from '../../config';
import type { Tenant } from '../../auth/tenant';
import { ApiError } from '../../http/api-error';
import { parseBody } from '../../http/zod-body';
import { JobViews } from '../../infrastructure/job-views';
import { TemplateCatalogue } from '../../infrastructure/template-catalogue';
import type { AcceptedJob } from '../create-render-job/create-render-job.handler';
import { sealUploadForEvents } from '../../infrastructure/upload-secrets';

/** Validates a join job, records it in the read model and emits `join.requested`, in one transaction. */
@Injectable()
export class CreateJoinJobHandler {
  private readonly log = logger('create-join-job');
  private readonly schema;
  private readonly uploadKey: Buffer;

  constructor(private readonly dataSource: DataSource, private readonly relay: OutboxRelay, @Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.schema = joinJobBody(config.MAX_JOIN_ASSETS);
    this.uploadKey = uploadSecretKey({ UPLOAD_SECRET_KEY: config.UPLOAD_SECRET_KEY });
  }

  async handle(tenant: Tenant, body: unknown): Promise<AcceptedJob> {
    const request = parseBody(this.schema, body);
    const catalogue = new TemplateCatalogue(this.dataSource.manager);
    const issues = (await Promise.all(request.assets.map((asset, index) =>
      (asset.type === 'job' ? catalogue.check(tenant.id, asset, `assets[${index}].`) : [])))).flat();
    if (issues.length > 0) throw ApiError.badRequest(`A job asset does not fit its template: ${issues[0].field}: ${issues[0].message}.`, issues);
    // Credentials never sit in clear in topic logs: sealed here, opened by the stitcher just before the upload.
    const upload = request.upload && sealUploadForEvents(request.upload, this.uploadKey);
    const id = randomUUID();
    const outputKey = `${id}.mp4`;
    await withLogContext({ jobId: id, tenantId: tenant.id }, async () => {
      await this.dataSource.transaction(async (manager) => {
        await new JobViews(manager).insertQueued({ id, tenantId: tenant.id, type: 'join', outputKey }, new Date());
        await enqueueEvent(manager, TOPICS.joinRequested, id, { ...request, ...(upload ? { upload } : {}), jobId: id, tenantId: tenant.id });
      });
      this.relay.wake();
      this.log.info('join job accepted', { clips: request.assets.length });
    });
    const children = request.assets.flatMap((asset, index) => (asset.type === 'job' ? [childJobId(id, index)] : []));
    return { id, outputKey, children: children.map((child) => ({ id: child, outputKey: `${child}.mp4` })) };
  }
}
