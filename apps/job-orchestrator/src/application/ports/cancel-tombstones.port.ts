/**
 * Cancels that came before their job, by tenant and job id: the job starts cancelled when it
 * arrives. A cancel and its job's arrival each lock the job ids they touch first, so one of them
 * always sees the other, whatever partitions or instances they arrive on.
 */
export interface CancelTombstones {
  /** Held until the transaction ends; taken in one order so two arrivals never wait on each other in a circle. */
  lockIds(ids: string[]): Promise<void>;
  record(tenantId: string, jobId: string, reason: string): Promise<void>;
  /** The reason of a cancel the tenant sent for any of these jobs before they arrived (used up), or null. */
  take(tenantId: string, jobIds: string[]): Promise<string | null>;
  /** Forgets cancels whose job never came; returns how many. */
  purge(olderThanHours: number): Promise<number>;
}
