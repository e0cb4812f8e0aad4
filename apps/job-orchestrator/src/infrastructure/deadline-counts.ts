import { Injectable } from '@nestjs/common';

export type DeadlineOutcome = 'redriven' | 'expired';
export type DeadlineWork = 'stitch' | 'render' | 'children';

/** What the reconciler did since the process started, by outcome and kind of work: for metrics to expose. */
@Injectable()
export class DeadlineCounts {
  private readonly counts = new Map<string, number>();

  increment(outcome: DeadlineOutcome, work: DeadlineWork): void {
    const key = `${outcome}:${work}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(outcome: DeadlineOutcome, work: DeadlineWork): number {
    return this.counts.get(`${outcome}:${work}`) ?? 0;
  }

  /** Every count, e.g. `{ 'redriven:stitch': 2, 'expired:render': 1 }`. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
