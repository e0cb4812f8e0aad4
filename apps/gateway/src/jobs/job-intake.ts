import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  childJobId, jobOutputKey, joinJobBody, renderJobBody, TOPICS, uploadSecretKey, type FieldIssue, type JoinAsset, type TemplateAsset, type UploadSpec,
} from '@vrs/contracts';
import { enqueueEvent, OutboxRelay } from '@vrs/messaging';
import { logger, withLogContext } from '@vrs/observability';
import { GATEWAY_CONFIG } from '../tokens';
import type { GatewayConfig } from '../config';
import type { Tenant } from '../auth/tenant';
import { ApiError } from '../http/api-error';
import { parseBody } from '../http/zod-body';
import { JobViews } from '../infrastructure/job-views';
import { TemplateCatalogue } from '../infrastructure/template-catalogue';
import { sealUploadForEvents } from '../infrastructure/upload-secrets';

export interface AcceptedJob { id: string; type: 'join' | 'render'; outputKey: string; children: Array<{ id: string; outputKey: string }> }

/**
 * Accepts one job (join or render): validates the body and its template references, seals upload
 * credentials, records the job in the read model and emits its request event in one transaction.
 * Throws ApiError (400) on bad input. Used by the job routes and by batches.
 */
@Injectable()
export class JobIntake {
  private readonly log = logger('job-intake');
  private readonly joinSchema;
  private readonly uploadKey: Buffer;

  constructor(private readonly dataSource: DataSource, private readonly relay: OutboxRelay, @Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.joinSchema = joinJobBody(config.MAX_JOIN_ASSETS);
    this.uploadKey = uploadSecretKey({ UPLOAD_SECRET_KEY: config.UPLOAD_SECRET_KEY });
  }

  async join(tenant: Tenant, body: unknown, batchId?: string): Promise<AcceptedJob> {
    const request = parseBody(this.joinSchema, body);
    const catalogue = new TemplateCatalogue(this.dataSource.manager);
    const issues = (await Promise.all(request.assets.map((asset, index) =>
      (asset.type === 'job' ? catalogue.check(tenant.id, asset, `assets[${index}].`) : [])))).flat();
    this.refuse('A job asset does not fit its template', issues);
    return this.record(tenant, 'join', request.assets, request.upload, batchId, (manager, id, upload) =>
      enqueueEvent(manager, TOPICS.joinRequested, id, { ...request, ...upload, jobId: id, tenantId: tenant.id }));
  }

  async render(tenant: Tenant, body: unknown, batchId?: string): Promise<AcceptedJob> {
    const request = parseBody(renderJobBody, body);
    this.refuse('The job does not fit its template', await new TemplateCatalogue(this.dataSource.manager).check(tenant.id, request));
    return this.record(tenant, 'render', request.assets, request.upload, batchId, (manager, id, upload) =>
      enqueueEvent(manager, TOPICS.renderJobRequested, id, { ...request, ...upload, jobId: id, tenantId: tenant.id }));
  }

  private refuse(what: string, issues: FieldIssue[]): void {
    if (issues.length > 0) throw ApiError.badRequest(`${what}: ${issues[0].field}: ${issues[0].message}.`, issues);
  }

  private async record(
    tenant: Tenant,
    type: 'join' | 'render',
    assets: Array<JoinAsset | TemplateAsset>,
    upload: UploadSpec | undefined,
    batchId: string | undefined,
    emit: (manager: import('typeorm').EntityManager, id: string, upload: { upload?: UploadSpec }) => Promise<unknown>,
  ): Promise<AcceptedJob> {
    // Credentials never sit in clear in topic logs: sealed here, opened just before the upload.
    const sealed = upload ? { upload: sealUploadForEvents(upload, this.uploadKey) } : {};
    const id = randomUUID();
    const outputKey = jobOutputKey(id);
    await withLogContext({ jobId: id, tenantId: tenant.id }, async () => {
      await this.dataSource.transaction(async (manager) => {
        await new JobViews(manager).insertQueued({ id, tenantId: tenant.id, type, outputKey, batchId }, new Date());
        await emit(manager, id, sealed);
      });
      this.relay.wake();
      this.log.info(`${type} job accepted`, { assets: assets.length, batchId });
    });
    const children = assets.flatMap((asset, index) => (asset.type === 'job' ? [childJobId(id, index)] : []));
    return { id, type, outputKey, children: children.map((child) => ({ id: child, outputKey: jobOutputKey(child) })) };
  }
}
