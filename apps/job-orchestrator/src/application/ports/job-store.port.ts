import type { Job, Transition } from '../../domain/job';

/**
 * The orchestrator's jobs, in the transaction a `JobFlows.open()` was made in. Every save records the
 * change as `job.status-changed` (and, when a job with a webhook ends, `job.webhook-requested`) in the
 * same transaction, and stores the job's deadline.
 */
export interface JobStore {
  exists(id: string): Promise<boolean>;
  /** The job, locked until the transaction ends so concurrent events for it apply one at a time. */
  lock(id: string): Promise<Job | null>;
  /**
   * The job's whole family (its root and every descendant), locked in id order. Every event about a
   * job in a family takes this lock first, so a parent's children settle one at a time (the join barrier).
   */
  lockFamily(id: string): Promise<Map<string, Job>>;
  /** The tenant that owns the job with this id, or null when there is none. */
  ownerOf(id: string): Promise<string | null>;
  /** Inserts a new job; false when one with that id exists already (the same id twice is one job). */
  insert(job: Job): Promise<boolean>;
  /** Saves the change and records its status event. */
  apply(transition: Transition): Promise<void>;
  /** Records the status event of a job just inserted. */
  publish(transition: Transition): Promise<void>;
  /** Stores the deadline the job has under the current limits (they may have changed since it was saved). */
  refreshDeadline(job: Job): Promise<void>;
  /** Ids of jobs whose deadline is at or before `now`, earliest first. */
  dueForDeadline(now: Date, limit: number): Promise<string[]>;
  /** For the rest of the transaction: give up on a lock held longer than a few seconds, and on a slow statement. */
  boundWaits(): Promise<void>;
}
