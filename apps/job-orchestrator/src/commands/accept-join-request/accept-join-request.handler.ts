import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TOPICS, type JoinRequested } from '@vrs/contracts';
import { enqueueEvent, messageRef, type IncomingMessage, type UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { failJob, newJoinJob } from '../../domain/job';
import { JobStore } from '../../infrastructure/job-store';

/** A producer that gave no job id gets one derived from the record, so a redelivery is the same job. */
export function jobIdFor(event: JoinRequested, message: IncomingMessage): string {
  return event.jobId ?? createHash('sha256').update(messageRef(message)).digest('hex').slice(0, 32);
}

@Injectable()
export class AcceptJoinRequestHandler {
  private readonly log = logger('accept-join-request');

  async handle(event: JoinRequested, work: UnitOfWork, message: IncomingMessage): Promise<void> {
    const id = jobIdFor(event, message);
    await work.transaction(async (manager) => {
      const store = new JobStore(manager);
      const created = newJoinJob({ id, tenantId: event.tenantId, assets: event.assets, upload: event.upload, webhook: event.webhook }, new Date());
      if (!(await store.insert(created.job))) {
        this.log.info('join request for an existing job ignored', { jobId: id });
        return;
      }
      await store.publish(created);
      const renderedClip = event.assets.findIndex((asset) => asset.type !== 'video');
      if (renderedClip >= 0) {
        await store.apply(failJob(created.job, `clip ${renderedClip + 1}: job assets are not supported by this deployment yet`, new Date())!);
        return;
      }
      await enqueueEvent(manager, TOPICS.stitchRequested, id, {
        jobId: id,
        tenantId: event.tenantId,
        clips: event.assets.map((asset) => ({ src: (asset as { src: string }).src })),
        outputKey: created.job.outputKey,
        ...(event.upload ? { upload: event.upload } : {}),
      });
      this.log.info('join job queued for stitching', { jobId: id, clips: event.assets.length });
    });
  }
}
