import { Inject, Injectable } from '@nestjs/common';
import type { ChildFailed, ChildFinished, RenderProgress } from '@vrs/contracts';
import type { Transactions } from '@vrs/service-kit';
import { logIgnoredReport } from '../../application/ignored-reports';
import type { JobFlow } from '../../application/job-flow';
import { JOB_FLOWS, type JobFlows } from '../../application/ports/job-flows.port';
import { completeRender } from '../../domain/children';
import { isTerminal, recordWorkProgress, type Job } from '../../domain/job';

/**
 * Applies the render-adapter's reports to a render job and its family, under the family's lock:
 * progress rolls up to the parents, the last child to finish starts the parent's work (once), and a
 * failure fails the ancestors and cancels the rest. Reports for unknown or ended jobs (late, repeated,
 * or after a cancel) change nothing and are logged.
 */
@Injectable()
export class TrackRenderHandler {
  constructor(@Inject(JOB_FLOWS) private readonly flows: JobFlows) {}

  progress(event: RenderProgress, work: Transactions) {
    return this.withFamily(work, event.jobId, 'render.progress', async (flow, family, job, now) => {
      const change = recordWorkProgress(job, event.fraction, now, 'render');
      if (!change) return;
      await flow.save(family, change);
      await flow.propagate(family, change.job, now);
    });
  }

  finished(event: ChildFinished, work: Transactions) {
    return this.withFamily(work, event.jobId, 'child.finished', async (flow, family, job, now) => {
      const change = completeRender(job, event, now);
      if (!change) return;
      await flow.save(family, change);
      await flow.childFinished(family, change.job, now);
    });
  }

  failed(event: ChildFailed, work: Transactions) {
    const details = event.details?.length ? ` (${event.details.map((d) => `${d.field}: ${d.message}`).join('; ')})` : '';
    return this.withFamily(work, event.jobId, 'child.failed', (flow, family, job, now) => flow.fail(family, job, `${event.reason}${details}`, now));
  }

  /** `work`: the transaction that records the report as consumed. */
  private withFamily(work: Transactions, jobId: string, topic: string, apply: (flow: JobFlow, family: Map<string, Job>, job: Job, now: Date) => Promise<void>) {
    return work.run(async () => {
      const flow = this.flows.open();
      const family = await flow.store.lockFamily(jobId);
      const job = family.get(jobId);
      if (!job || isTerminal(job)) logIgnoredReport(topic, jobId, job);
      else await apply(flow, family, job, new Date());
    });
  }
}
