export type UploadState = 'pending' | 'receiving' | 'complete';

/** A source upload as the gateway records it (POST /uploads announces it, a signed PUT brings the bytes). */
export interface UploadRecord {
  id: string;
  tenantId: string;
  filename: string;
  contentType: string;
  size: number;
  state: UploadState;
  expiresAt: Date;
}

/** How long a PUT holds its upload without renewing (it renews every third of it while bytes arrive). */
export const RECEIVE_LEASE_MS = 30_000;

/** The storage key of an upload: built from its record only, never from anything a user sent. */
export const uploadStorageKey = (upload: Pick<UploadRecord, 'id' | 'tenantId'>) => `uploads/${upload.tenantId}/${upload.id}`;
