import { rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CancellationWatcher, KafkaInbox, RunningJobs, type UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { WorkDirs } from './work-dirs';

export interface LongWork<R> {
  /** The work itself, in a fresh work folder; it stops when `signal` aborts. */
  run(context: { signal: AbortSignal; workDir: string }): Promise<R>;
  /** Records the result, in the transaction that also records the request as consumed. */
  succeeded(manager: EntityManager, result: R): Promise<unknown>;
  /** Records a failure for good (the work's own retries are spent), in the same kind of transaction. */
  failed(manager: EntityManager, error: unknown): Promise<unknown>;
}

/**
 * The life of one long job in a worker service (a stitch, a render): skipped when it was cancelled
 * before it started; stopped at once by a cancel; abandoned uncommitted at shutdown, so another
 * instance (or this one after restart) redoes it; its temporary files always removed.
 */
@Injectable()
export class CancellableWork {
  private readonly log = logger('cancellable-work');

  constructor(
    private readonly inbox: KafkaInbox,
    private readonly running: RunningJobs,
    private readonly cancellations: CancellationWatcher,
    private readonly workDirs: WorkDirs,
  ) {}

  async perform<R>(jobId: string, work: UnitOfWork, job: LongWork<R>): Promise<void> {
    if (await this.cancellations.isCancelled(jobId)) {
      this.log.info('skipped: the job was cancelled');
      return work.transaction(async () => undefined);
    }
    const cancel = this.running.start(jobId);
    const signal = AbortSignal.any([cancel.signal, this.inbox.shutdownSignal]);
    const workDir = await this.workDirs.create(jobId);
    try {
      const result = await job.run({ signal, workDir });
      await work.transaction((manager) => job.succeeded(manager, result));
    } catch (error) {
      if (this.inbox.shutdownSignal.aborted) throw error; // abandoned: redelivered after restart
      if (cancel.signal.aborted) {
        this.log.info('stopped: the job was cancelled');
        return work.transaction(async () => undefined);
      }
      await work.transaction((manager) => job.failed(manager, error));
    } finally {
      this.running.end(jobId);
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
