import type { UploadRecord } from '../../domain/uploads';

/** The gateway's records of source uploads, with the lease that lets one PUT at a time receive an upload. */
export interface UploadRecords {
  insert(upload: UploadRecord): Promise<void>;
  find(id: string): Promise<UploadRecord | undefined>;
  /** The tenant's uploads among `ids` (another tenant's are simply not there). */
  findForTenant(tenantId: string, ids: string[]): Promise<UploadRecord[]>;
  /**
   * Takes an unexpired upload for one PUT under a lease of RECEIVE_LEASE_MS: a pending one, or one
   * whose last PUT stopped renewing (its gateway died). Undefined when complete, expired or held.
   */
  claim(id: string, owner: string, now: Date): Promise<UploadRecord | undefined>;
  /** Keeps the lease while bytes arrive; false when it was lost (another PUT took over). */
  renew(id: string, owner: string, now: Date): Promise<boolean>;
  /** A PUT that failed gives the upload back, so the client can send it again. */
  release(id: string, owner: string): Promise<void>;
  /** False when the lease was lost meanwhile: then the other PUT's bytes are the upload's. */
  complete(id: string, owner: string, now: Date): Promise<boolean>;
  expired(now: Date, limit: number): Promise<UploadRecord[]>;
  delete(id: string): Promise<void>;
}

export const UPLOAD_RECORDS = Symbol('UPLOAD_RECORDS');
