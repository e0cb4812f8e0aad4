import { Inject, Injectable } from '@nestjs/common';
import { logger } from '@vrs/observability';
import { OUTPUT_STORAGE, type OutputStorage } from '@vrs/storage';
import { UPLOAD_RECORDS, type UploadRecords } from '../../application/ports/upload-records.port';
import { uploadStorageKey } from '../../domain/uploads';

/** The part of the upload records the cleanup needs. */
export type ExpiringUploads = Pick<UploadRecords, 'expired' | 'delete'>;

const BATCH = 100;

/**
 * Deletes expired uploads: the object first, then the record, so a crash in between leaves a record
 * the next run deletes again (deleting a missing object is no error). Safe on several gateways at once.
 */
@Injectable()
export class ExpireUploadsHandler {
  private readonly log = logger('expire-uploads');

  constructor(
    @Inject(UPLOAD_RECORDS) private readonly records: ExpiringUploads,
    @Inject(OUTPUT_STORAGE) private readonly storage: Pick<OutputStorage, 'delete'>,
  ) {}

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
