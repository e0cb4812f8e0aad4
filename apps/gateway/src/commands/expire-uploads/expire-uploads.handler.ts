import { logger } from '@vrs/observability';
import type { OutputStorage } from '@vrs/storage';
import { uploadStorageKey, type UploadRecord } from '../../infrastructure/upload-records';

/** The part of the upload records the cleanup needs. */
export interface ExpiringUploads {
  expired(now: Date, limit: number): Promise<UploadRecord[]>;
  delete(id: string): Promise<void>;
}

const BATCH = 100;

/**
 * Deletes expired uploads: the object first, then the record, so a crash in between leaves a record
 * the next run deletes again (deleting a missing object is no error). Safe on several gateways at once.
 */
export class ExpireUploadsHandler {
  private readonly log = logger('expire-uploads');

  constructor(private readonly records: ExpiringUploads, private readonly storage: Pick<OutputStorage, 'delete'>) {}

  async run(now: Date): Promise<number> {
    let deleted = 0;
    for (let batch = await this.records.expired(now, BATCH); batch.length > 0; batch = await this.records.expired(now, BATCH)) {
      for (const upload of batch) {
        await this.storage.delete(uploadStorageKey(upload));
        await this.records.delete(upload.id);
      }
      deleted += batch.length;
      if (batch.length < BATCH) break;
    }
    if (deleted > 0) this.log.info('expired uploads deleted', { deleted });
    return deleted;
  }
}
