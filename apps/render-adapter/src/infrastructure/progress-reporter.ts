import type { DataSource } from 'typeorm';
import { TOPICS } from '@vrs/contracts';
import { enqueueEvent } from '@vrs/messaging';

/** Publishes a render's progress through the outbox, only forward and at most once per interval. */
export class ProgressReporter {
  private lastSentAt = 0;
  private lastFraction = 0;

  constructor(private readonly dataSource: DataSource, private readonly job: { jobId: string; parentId: string | null }, private readonly intervalMs = 1_000) {}

  report(fraction: number): Promise<void> {
    const now = Date.now();
    if (fraction <= this.lastFraction || fraction >= 1 || now - this.lastSentAt < this.intervalMs) return Promise.resolve();
    this.lastSentAt = now;
    this.lastFraction = fraction;
    return this.dataSource.transaction((manager) =>
      enqueueEvent(manager, TOPICS.renderProgress, this.job.jobId, { ...this.job, fraction }).then(() => undefined));
  }
}
