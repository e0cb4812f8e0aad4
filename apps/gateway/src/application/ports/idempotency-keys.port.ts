export interface StoredResponse {
  requestHash: string;
  status: number;
  response: string;
}

/** Idempotency keys per tenant with the first response to each; keys past their expiry count as absent. */
export interface IdempotencyKeys {
  /**
   * Takes the key for the open transaction (null), or answers what an earlier request stored under it.
   * A concurrent request with the same key waits here until the first one's transaction ends.
   */
  claim(tenantId: string, key: string, requestHash: string, ttlHours: number): Promise<StoredResponse | null>;
  complete(tenantId: string, key: string, status: number, response: string): Promise<void>;
  /** Deletes expired keys, a bounded number at a time; answers how many went. */
  deleteExpired(limit: number): Promise<number>;
}

export const IDEMPOTENCY_KEYS = Symbol('IDEMPOTENCY_KEYS');
