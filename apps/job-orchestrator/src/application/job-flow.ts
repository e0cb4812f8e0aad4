import { TOPICS, workEventId } from '@vrs/contracts';
import type { EventOutbox } from '@vrs/service-kit';
import {
  cancelledOnArrival,
  planJobTree,
  recordChildFailed,
  recordChildFinished,
  recordChildUpdate,
  renderedAssetIndexes,
  resolvedRenderAssets,
  stitchClips,
  type OutputUrlFor,
} from '../domain/children';
import { cancelJob, failJob, isTerminal, type Job, type Transition } from '../domain/job';
import type { CancelTombstones } from './ports/cancel-tombstones.port';
import type { JobStore } from './ports/job-store.port';

export type Launch = 'created' | 'cancelled' | 'exists';

/**
 * Moves a family of jobs (a parent and the children it waits for) along, inside one transaction
 * (the ports are that transaction's): saves each change with its status event and publishes the work
 * that comes next. Callers hold the family's lock (`JobStore.lockFamily`) for anything but `launch`.
 */
export class JobFlow {
  constructor(
    readonly store: JobStore,
    readonly tombstones: CancelTombstones,
    private readonly outbox: EventOutbox,
    private readonly urlFor: OutputUrlFor,
  ) {}

  /**
   * Creates a job and its children; the jobs without children start at once. When the tenant's
   * cancel for any of them came first, they are all created cancelled and nothing starts.
   */
  async launch(root: Transition, now: Date): Promise<Launch> {
    let tree = planJobTree(root, now);
    const ids = tree.map((created) => created.job.id);
    await this.tombstones.lockIds(ids);
    if (await this.store.exists(root.job.id)) return 'exists';
    const cancelledFirst = await this.tombstones.take(root.job.tenantId, ids);
    if (cancelledFirst !== null) tree = cancelledOnArrival(tree, cancelledFirst, now);
    for (const created of tree) await this.store.insert(created.job);
    for (const created of tree) {
      await this.store.publish(created);
      if (cancelledFirst === null && created.job.children.length === 0) await this.startWork(created.job);
    }
    return cancelledFirst === null ? 'created' : 'cancelled';
  }

  /** The job's own work: the stitch of a join job, the render of a render job. */
  async startWork(job: Job): Promise<void> {
    const once = { eventId: workEventId(job.id) };
    if (job.type === 'join') {
      await this.outbox.publish(
        TOPICS.stitchRequested,
        job.id,
        {
          jobId: job.id,
          tenantId: job.tenantId,
          clips: stitchClips(job, this.urlFor),
          outputKey: job.outputKey,
          ...(job.settings ? { settings: job.settings } : {}),
          ...(job.upload ? { upload: job.upload } : {}),
        },
        once,
      );
      return;
    }
    const spec = job.render!;
    const renderedAssets = renderedAssetIndexes(job);
    await this.outbox.publish(
      TOPICS.renderRequested,
      job.id,
      {
        jobId: job.id,
        parentId: job.parentId,
        tenantId: job.tenantId,
        template: spec.template,
        assets: resolvedRenderAssets(job, this.urlFor),
        ...(spec.preview !== undefined ? { preview: spec.preview } : {}),
        ...(spec.settings ? { settings: spec.settings } : {}),
        outputKey: job.outputKey,
        ...(renderedAssets.length ? { renderedAssets } : {}),
        ...(job.upload ? { upload: job.upload } : {}),
      },
      once,
    );
  }

  /** Shows a child's change on its parent, and the parent's on its own parent, as far as anything changes. */
  async propagate(family: Map<string, Job>, child: Job, now: Date): Promise<void> {
    for (let current = child; current.parentId;) {
      const change = recordChildUpdate(family.get(current.parentId)!, current, now);
      if (!change) return;
      await this.save(family, change);
      current = change.job;
    }
  }

  /** A child finished: its parent learns it, and when it was the last child the parent's own work starts. */
  async childFinished(family: Map<string, Job>, child: Job, now: Date): Promise<void> {
    if (!child.parentId) return;
    const settled = recordChildFinished(family.get(child.parentId)!, child.id, now);
    if (!settled) return;
    await this.save(family, settled.transition);
    if (settled.ready) await this.startWork(settled.transition.job);
    else await this.propagate(family, settled.transition.job, now);
  }

  /** A job failed for good: each ancestor fails naming it, and every other job of the family still running is cancelled. */
  async failed(family: Map<string, Job>, failed: Job, now: Date): Promise<void> {
    const changes: Transition[] = [];
    let current = failed;
    while (current.parentId) {
      const change = recordChildFailed(family.get(current.parentId)!, current.id, current.error ?? 'unknown error', now);
      if (!change) break;
      family.set(change.job.id, change.job);
      changes.push(change);
      current = change.job;
    }
    await this.cancelRest(family, changes, `another job of the family failed (${failed.id})`, now);
  }

  /** Cancels every job of the family that has not ended (a cancel of any member cancels its relatives). */
  cancelAll(family: Map<string, Job>, reason: string, now: Date): Promise<void> {
    return this.cancelRest(family, [], reason, now);
  }

  private async cancelRest(family: Map<string, Job>, changes: Transition[], reason: string, now: Date): Promise<void> {
    const cancelled = [...family.values()].filter((job) => !isTerminal(job)).map((job) => cancelJob(job, reason, now));
    for (const change of cancelled) family.set(change.job.id, change.job);
    for (const change of [...changes, ...cancelled]) {
      // Parents list their children's final states.
      const children = change.job.children.map((ref) => ({ ...ref, status: family.get(ref.id)?.status ?? ref.status }));
      await this.save(family, { ...change, job: { ...change.job, children } });
    }
    for (const change of cancelled) await this.stopWork(change.job, reason);
  }

  /** Tells the workers to stop (or skip) the job's work. */
  private async stopWork(job: Job, reason: string): Promise<void> {
    await this.outbox.publish(TOPICS.jobCancelRequested, job.id, { jobId: job.id, tenantId: job.tenantId, reason: reason.slice(0, 500) });
  }

  /** Fails a job whose own work failed, then its family. */
  async fail(family: Map<string, Job>, job: Job, reason: string, now: Date): Promise<void> {
    const change = failJob(job, reason, now);
    if (!change) return;
    await this.save(family, change);
    await this.failed(family, change.job, now);
  }

  /** The job's deadline passed for good: it fails as if its work had failed, and work still running for it stops. */
  async expire(family: Map<string, Job>, job: Job, reason: string, now: Date): Promise<void> {
    await this.fail(family, job, reason, now);
    if (job.status !== 'pending') await this.stopWork(job, reason);
  }

  async save(family: Map<string, Job>, change: Transition): Promise<void> {
    family.set(change.job.id, change.job);
    await this.store.apply(change);
  }
}
