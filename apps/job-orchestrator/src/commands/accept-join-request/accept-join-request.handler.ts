import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OutputUrls, sealUploadSecret, uploadSecretKey, type JoinRequested } from '@vrs/contracts';
import { messageRef, type IncomingMessage, type UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { newJoinJob } from '../../domain/job';
import { JobFlow } from '../../infrastructure/job-flow';
import { JobRequestChecks } from '../../infrastructure/job-request-checks';

/** A producer that gave no job id gets one derived from the record, so a redelivery is the same job. */
export function jobIdFor(event: JoinRequested, message: IncomingMessage): string {
  return event.jobId ?? createHash('sha256').update(messageRef(message)).digest('hex').slice(0, 32);
}

@Injectable()
export class AcceptJoinRequestHandler {
  private readonly log = logger('accept-join-request');
  /** Outside producers may send the upload secret in clear; it is sealed before it is stored or sent on. */
  private readonly uploadKey = uploadSecretKey();

  constructor(@Inject(OutputUrls) private readonly urls: OutputUrls, private readonly checks: JobRequestChecks) {}

  /** Other systems publish here: the tenant must exist and the job id must not be another tenant's (else DLQ). */
  async handle(event: JoinRequested, work: UnitOfWork, message: IncomingMessage, signal: AbortSignal): Promise<void> {
    const id = jobIdFor(event, message);
    await this.checks.requireTenant(event.tenantId, id, signal);
    await work.transaction(async (manager) => {
      const flow = new JobFlow(manager, (key) => this.urls.urlFor(key));
      const created = newJoinJob({ id, tenantId: event.tenantId, assets: event.assets, upload: event.upload && sealUploadSecret(event.upload, this.uploadKey), webhook: event.webhook }, new Date());
      if (!(await flow.launch(created, new Date()))) {
        await this.checks.requireOwnJob(flow.store, id, event.tenantId);
        this.log.info('join request for an existing job ignored', { jobId: id });
        return;
      }
      this.log.info('join job accepted', { jobId: id, clips: event.assets.length, rendered: event.assets.filter((a) => a.type === 'job').length });
    });
  }
}
