import { Inject, Injectable } from '@nestjs/common';
import { jobIdOfRecord, sealUploadSecret, uploadSecretKey, type JoinRequested } from '@vrs/contracts';
import { recordIdentity, type IncomingMessage } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import type { Transactions } from '@vrs/service-kit';
import { JobRequestChecks } from '../../application/job-request-checks';
import { JOB_FLOWS, type JobFlows } from '../../application/ports/job-flows.port';
import { newJoinJob } from '../../domain/job';

/** A producer that gave no job id gets one derived from the record, so a redelivery is the same job. */
export function jobIdFor(event: JoinRequested, message: IncomingMessage): string {
  return event.jobId ?? jobIdOfRecord(recordIdentity(message));
}

@Injectable()
export class AcceptJoinRequestHandler {
  private readonly log = logger('accept-join-request');
  /** Outside producers may send the upload secret in clear; it is sealed before it is stored or sent on. */
  private readonly uploadKey = uploadSecretKey();

  constructor(
    @Inject(JOB_FLOWS) private readonly flows: JobFlows,
    private readonly checks: JobRequestChecks,
  ) {}

  /**
   * Other systems publish here: the tenant must exist and the job id must not be another tenant's (else DLQ).
   * `consumed`: the transaction that records the event as consumed.
   */
  async handle(event: JoinRequested, consumed: Transactions, message: IncomingMessage, signal: AbortSignal): Promise<void> {
    const id = jobIdFor(event, message);
    await this.checks.requireTenant(event.tenantId, id, signal);
    await consumed.run(async () => {
      const now = new Date();
      const created = newJoinJob(
        {
          id,
          tenantId: event.tenantId,
          assets: event.assets,
          settings: event.settings,
          upload: event.upload && sealUploadSecret(event.upload, this.uploadKey),
          webhook: event.webhook,
        },
        now,
      );
      const flow = this.flows.open();
      const launched = await flow.launch(created, now);
      const clips = { clips: event.assets.length, rendered: event.assets.filter((a) => a.type === 'job').length };
      if (launched === 'exists') {
        await this.checks.requireOwnJob(flow.store, id, event.tenantId);
        this.log.info('join request for an existing job ignored', { jobId: id });
      } else if (launched === 'cancelled') this.log.info('join job accepted as cancelled: its cancel came first', { jobId: id, ...clips });
      else this.log.info('join job accepted', { jobId: id, ...clips });
    });
  }
}
