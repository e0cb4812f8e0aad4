import { rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { CancellationWatcher, KafkaInbox, RunningJobs, type UnitOfWork } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { TransactionScope } from './transactions/transaction-scope';
import { WorkDirs } from './work-dirs';

export interface LongWork<R> {
  /** The work itself, in a fresh work folder; it stops when `signal` aborts. */
  run(context: { signal: AbortSignal; workDir: string }): Promise<R>;
  /** Records the result (through ports), in the transaction that also records the request as consumed. */
  succeeded(result: R): Promise<unknown>;
  /** Records a failure for good (the work's own retries are spent), in the same kind of transaction. */
  failed(error: unknown): Promise<unknown>;
}

/** Runs one long job of a worker service (a stitch, a render) for a consumed request; handlers get it as a port. */
export interface LongWorkRunner {
  /** `tenantId`: the tenant the work is for; only its cancel skips or stops the work. */
  perform<R>(jobId: string, tenantId: string, work: UnitOfWork, job: LongWork<R>): Promise<void>;
}

export const LONG_WORK = Symbol('LONG_WORK');

/**
 * The life of one long job in a worker service (a stitch, a render): skipped when it was cancelled
 * before it started; stopped at once by a cancel; abandoned uncommitted at shutdown, so another
 * instance (or this one after restart) redoes it; its temporary files always removed.
 */
@Injectable()
export class CancellableWork implements LongWorkRunner {
  private readonly log = logger('cancellable-work');

  constructor(
    private readonly inbox: KafkaInbox,
    private readonly running: RunningJobs,
    private readonly cancellations: CancellationWatcher,
    private readonly workDirs: WorkDirs,
    private readonly scope: TransactionScope,
  ) {}

  /** `tenantId`: the tenant the work is for; only its cancel skips or stops the work. */
  async perform<R>(jobId: string, tenantId: string, work: UnitOfWork, job: LongWork<R>): Promise<void> {
    // Running before the check: a cancel that comes meanwhile either finds it running or was recorded first.
    const cancel = this.running.start(jobId, tenantId);
    try {
      if (await this.cancellations.isCancelled(jobId, tenantId)) {
        this.log.info('skipped: the job was cancelled');
        return await work.transaction(async () => undefined);
      }
      await this.run(jobId, work, job, cancel.signal);
    } finally {
      this.running.end(jobId);
    }
  }

  private async run<R>(jobId: string, work: UnitOfWork, job: LongWork<R>, cancelled: AbortSignal): Promise<void> {
    const signal = AbortSignal.any([cancelled, this.inbox.shutdownSignal]);
    const workDir = await this.workDirs.create(jobId);
    try {
      const result = await job.run({ signal, workDir });
      await work.transaction((manager) => this.scope.join(manager, () => job.succeeded(result)));
    } catch (error) {
      if (this.inbox.shutdownSignal.aborted) throw error; // abandoned: redelivered after restart
      if (cancelled.aborted) {
        this.log.info('stopped: the job was cancelled');
        return work.transaction(async () => undefined);
      }
      await work.transaction((manager) => this.scope.join(manager, () => job.failed(error)));
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
