import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { UPLOAD_ID_PATTERN } from '@vrs/contracts';
import { OUTPUT_STORAGE, OutputNotFoundError, type OutputStorage } from '@vrs/storage';
import { UPLOAD_RECORDS, type UploadRecords } from '../../application/ports/upload-records.port';
import { UploadUrls } from '../../domain/upload-urls';
import { uploadStorageKey, type UploadRecord } from '../../domain/uploads';
import { ApiError } from '../../http/api-error';

/**
 * A received upload for the services that fetch clips, through the read URL its `upload://` source
 * was turned into when a job was accepted; until the cleanup deletes it.
 */
@Injectable()
export class ServeUploadHandler {
  constructor(
    @Inject(UPLOAD_RECORDS) private readonly records: UploadRecords,
    private readonly urls: UploadUrls,
    @Inject(OUTPUT_STORAGE) private readonly storage: OutputStorage,
  ) {}

  /** The upload, and its bytes unless only the headers are wanted (HEAD); opened before any header goes out, so a missing object is still a clean 404. */
  async open(id: string, signature: unknown, withBody: boolean): Promise<{ upload: UploadRecord; body?: Readable }> {
    if (!UPLOAD_ID_PATTERN.test(id) || !this.urls.verify('read', id, signature)) throw ApiError.notFound('This upload');
    const upload = await this.records.find(id);
    const gone = () => ApiError.notFound('This upload (it may have expired and been deleted)');
    if (upload?.state !== 'complete') throw gone();
    if (!withBody) return { upload };
    const body = await this.storage.createReadStream(uploadStorageKey(upload)).catch((error) => {
      throw error instanceof OutputNotFoundError ? gone() : error;
    });
    return { upload, body };
  }
}
