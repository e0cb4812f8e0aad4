import { Injectable } from '@nestjs/common';
import type { ChildFailed, ChildFinished, RenderProgress } from '@vrs/contracts';
import type { UnitOfWork } from '@vrs/messaging';
import { completeRender } from '../../domain/children';
import { isTerminal, recordWorkProgress, type Job } from '../../domain/job';
import type { JobFlow } from '../../infrastructure/job-flow';
import { JobFlows } from '../../infrastructure/job-flows';
import { logIgnoredReport } from '../../infrastructure/ignored-reports';

/**
 * Applies the render-adapter's reports to a render job and its family, under the family's lock:
 * progress rolls up to the parents, the last child to finish starts the parent's work (once), and a
 * failure fails the ancestors and cancels the rest. Reports for unknown or ended jobs (late, repeated,
 * or after a cancel) change nothing and are logged.
 */
@Injectable()
export class TrackRenderHandler {
  constructor(private readonly flows: JobFlows) {}

  progress(event: RenderProgress, work: UnitOfWork) {
    return this.withFamily(work, event.jobId, 'render.progress', async (flow, family, job, now) => {
      const change = recordWorkProgress(job, event.fraction, now, 'render');
      if (!change) return;
      await flow.save(family, change);
      await flow.propagate(family, change.job, now);
    });
  }

  finished(event: ChildFinished, work: UnitOfWork) {
    return this.withFamily(work, event.jobId, 'child.finished', async (flow, family, job, now) => {
      const change = completeRender(job, event, now);
      if (!change) return;
      await flow.save(family, change);
      await flow.childFinished(family, change.job, now);
    });
  }

  failed(event: ChildFailed, work: UnitOfWork) {
    const details = event.details?.length ? ` (${event.details.map((d) => `${d.field}: ${d.message}`).join('; ')})` : '';
    return this.withFamily(work, event.jobId, 'child.failed', (flow, family, job, now) => flow.fail(family, job, `${event.reason}${details}`, now));
  }

  private withFamily(work: UnitOfWork, jobId: string, topic: string, apply: (flow: JobFlow, family: Map<string, Job>, job: Job, now: Date) => Promise<void>) {
    return work.transaction(async (manager) => {
      const flow = this.flows.open(manager);
      const family = await flow.store.lockFamily(jobId);
      const job = family.get(jobId);
      if (!job || isTerminal(job)) logIgnoredReport(topic, jobId, job);
      else await apply(flow, family, job, new Date());
    });
  }
}
