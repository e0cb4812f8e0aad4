import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  childJobId,
  jobOutputKey,
  joinJobBody,
  renderJobBody,
  TOPICS,
  uploadSecretKey,
  type FieldIssue,
  type JoinAsset,
  type TemplateAsset,
  type UploadSpec,
} from '@vrs/contracts';
import type { OutgoingEvent } from '@vrs/messaging';
import { logger, withLogContext } from '@vrs/observability';
import { EVENT_OUTBOX, TRANSACTIONS, type EventOutbox, type GroupableTransactions } from '@vrs/service-kit';
import type { GatewayConfig } from '../config';
import type { Tenant } from '../domain/tenant';
import { ApiError } from '../http/api-error';
import { parseBody } from '../http/zod-body';
import { GATEWAY_CONFIG } from '../tokens';
import { GroupCommit } from './group-commit';
import { JOB_VIEWS, type JobViews } from './ports/job-views.port';
import { TemplateChecks } from './template-checks';
import { sealUploadForEvents } from './upload-secrets';
import { UploadSourceResolver } from './upload-source-resolver';

export interface AcceptedJob {
  id: string;
  type: 'join' | 'render';
  outputKey: string;
  children: Array<{ id: string; outputKey: string }>;
}

/** A validated job, not yet written: its id, what the API will answer, and its request event. */
export interface PreparedJob {
  job: AcceptedJob;
  assets: number;
  event: OutgoingEvent;
}

interface TenantJob {
  tenant: Tenant;
  prepared: PreparedJob;
}

/**
 * Accepts jobs (join or render) in two steps: `prepare…` validates a body and its template
 * references and seals upload credentials (throws ApiError 400 on bad input, writes nothing);
 * `record` writes prepared jobs' read-model rows and request events with one INSERT each, inside the
 * open transaction, so a batch of any size commits as a whole. Used by the job routes and by batches.
 * Single jobs submitted at the same moment by different requests share one transaction (group commit).
 */
@Injectable()
export class JobIntake {
  private readonly log = logger('job-intake');
  private readonly joinSchema;
  private readonly uploadKey: Buffer;
  private readonly group: GroupCommit<TenantJob, void>;

  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: GroupableTransactions,
    @Inject(JOB_VIEWS) private readonly views: JobViews,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
    private readonly templates: TemplateChecks,
    private readonly uploads: UploadSourceResolver,
    @Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'MAX_JOIN_ASSETS' | 'UPLOAD_SECRET_KEY'>,
  ) {
    this.joinSchema = joinJobBody(config.MAX_JOIN_ASSETS);
    this.uploadKey = uploadSecretKey({ UPLOAD_SECRET_KEY: config.UPLOAD_SECRET_KEY });
    this.group = new GroupCommit<TenantJob, void>(
      (work) => transactions.within(() => work()),
      (_, jobs) => this.write(jobs),
      { maxItems: 250, maxInFlight: 2 },
    );
  }

  async join(tenant: Tenant, body: unknown): Promise<AcceptedJob> {
    return this.acceptOne(tenant, await this.prepareJoin(tenant, body));
  }

  async render(tenant: Tenant, body: unknown): Promise<AcceptedJob> {
    return this.acceptOne(tenant, await this.prepareRender(tenant, body));
  }

  async prepareJoin(tenant: Tenant, body: unknown): Promise<PreparedJob> {
    const request = await this.uploads.resolveJoin(tenant.id, parseBody(this.joinSchema, body), new Date());
    const issues = (
      await Promise.all(request.assets.map((asset, index) => (asset.type === 'job' ? this.templates.check(tenant.id, asset, `assets[${index}].`) : [])))
    ).flat();
    this.refuse('A job asset does not fit its template', issues);
    return this.prepare('join', request.assets, request.upload, (id, upload) => ({
      topic: TOPICS.joinRequested,
      key: id,
      body: { ...request, ...upload, jobId: id, tenantId: tenant.id },
    }));
  }

  async prepareRender(tenant: Tenant, body: unknown): Promise<PreparedJob> {
    const parsed = parseBody(renderJobBody, body);
    const request = { ...parsed, assets: await this.uploads.resolve(tenant.id, parsed.assets, new Date()) };
    this.refuse('The job does not fit its template', await this.templates.check(tenant.id, request));
    return this.prepare('render', request.assets, request.upload, (id, upload) => ({
      topic: TOPICS.renderJobRequested,
      key: id,
      body: { ...request, ...upload, jobId: id, tenantId: tenant.id },
    }));
  }

  /** Writes prepared jobs (read model, first log line, request events): call inside a transaction. */
  record(tenant: Tenant, jobs: PreparedJob[], batchId?: string): Promise<void> {
    return this.write(
      jobs.map((prepared) => ({ tenant, prepared })),
      batchId,
    );
  }

  /** Logs each job: call once the transaction that recorded them committed. */
  accepted(tenant: Tenant, jobs: PreparedJob[], batchId?: string): void {
    for (const { job, assets } of jobs) {
      withLogContext({ jobId: job.id, tenantId: tenant.id }, () => this.log.info(`${job.type} job accepted`, { assets, batchId }));
    }
  }

  private async acceptOne(tenant: Tenant, prepared: PreparedJob): Promise<AcceptedJob> {
    // In an idempotent request the job joins its transaction (key, job and stored answer commit
    // together); otherwise it shares one with the jobs other requests submit at the same moment.
    if (this.transactions.isOpen) await this.transactions.run(() => this.record(tenant, [prepared]));
    else await this.group.add({ tenant, prepared });
    this.accepted(tenant, [prepared]);
    return prepared.job;
  }

  private async write(jobs: TenantJob[], batchId?: string): Promise<void> {
    await this.views.insertQueued(
      jobs.map(({ tenant, prepared: { job } }) => ({ id: job.id, tenantId: tenant.id, type: job.type, outputKey: job.outputKey, batchId })),
      new Date(),
    );
    await this.outbox.publishAll(jobs.map(({ prepared }) => prepared.event));
  }

  private refuse(what: string, issues: FieldIssue[]): void {
    if (issues.length > 0) throw ApiError.badRequest(`${what}: ${issues[0].field}: ${issues[0].message}.`, issues);
  }

  private prepare(
    type: 'join' | 'render',
    assets: Array<JoinAsset | TemplateAsset>,
    upload: UploadSpec | undefined,
    event: (id: string, upload: { upload?: UploadSpec }) => OutgoingEvent,
  ): PreparedJob {
    // Credentials never sit in clear in topic logs: sealed here, opened just before the upload.
    const sealed = upload ? { upload: sealUploadForEvents(upload, this.uploadKey) } : {};
    const id = randomUUID();
    const children = assets.flatMap((asset, index) => (asset.type === 'job' ? [childJobId(id, index)] : []));
    return {
      job: { id, type, outputKey: jobOutputKey(id), children: children.map((child) => ({ id: child, outputKey: jobOutputKey(child) })) },
      assets: assets.length,
      event: event(id, sealed),
    };
  }
}
