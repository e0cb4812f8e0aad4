import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { OutputUrls, sealUploadSecret, uploadSecretKey, type JoinRequested } from '@vrs/contracts';
import { messageRef, type IncomingMessage, type UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { newJoinJob } from '../../domain/job';
import { JobFlow } from '../../infrastructure/job-flow';

/** A producer that gave no job id gets one derived from the record, so a redelivery is the same job. */
export function jobIdFor(event: JoinRequested, message: IncomingMessage): string {
  return event.jobId ?? createHash('sha256').update(messageRef(message)).digest('hex').slice(0, 32);
}

@Injectable()
export class AcceptJoinRequestHandler {
  private readonly log = logger('accept-join-request');
  /** Outside producers may send the upload secret in clear; it is sealed before it is stored or sent on. */
  private readonly uploadKey = uploadSecretKey();

  constructor(@Inject(OutputUrls) private readonly urls: OutputUrls) {}

  async handle(event: JoinRequested, work: UnitOfWork, message: IncomingMessage): Promise<void> {
    const id = jobIdFor(event, message);
    await work.transaction(async (manager) => {
      const flow = new JobFlow(manager, (key) => this.urls.urlFor(key));
      const created = newJoinJob({ id, tenantId: event.tenantId, assets: event.assets, upload: event.upload && sealUploadSecret(event.upload, this.uploadKey), webhook: event.webhook }, new Date());
      if (!(await flow.launch(created, new Date()))) {
        this.log.info('join request for an existing job ignored', { jobId: id });
        return;
      }
      this.log.info('join job accepted', { jobId: id, clips: event.assets.length, rendered: event.assets.filter((a) => a.type === 'job').length });
    });
  }
}
