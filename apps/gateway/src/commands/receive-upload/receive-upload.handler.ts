import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { UPLOAD_ID_PATTERN, uploadSrcFor, type UploadReceived } from '@vrs/contracts';
import { logger, withLogContext } from '@vrs/observability';
import { OUTPUT_STORAGE, type OutputStorage } from '@vrs/storage';
import { UPLOAD_RECORDS, type UploadRecords } from '../../application/ports/upload-records.port';
import { UploadUrls } from '../../domain/upload-urls';
import { RECEIVE_LEASE_MS, uploadStorageKey, type UploadRecord } from '../../domain/uploads';
import { ApiError } from '../../http/api-error';
import { receiveExactly, tooLarge, tooShort } from './receive-exactly';

/**
 * Takes the bytes of one announced upload through its signed URL: exactly the declared size, once.
 * The bytes go to a temporary file first, so storage only ever gets a whole upload.
 */
@Injectable()
export class ReceiveUploadHandler {
  private readonly log = logger('receive-upload');

  constructor(
    @Inject(UPLOAD_RECORDS) private readonly records: UploadRecords,
    private readonly urls: UploadUrls,
    @Inject(OUTPUT_STORAGE) private readonly storage: OutputStorage,
  ) {}

  /** `contentLength` is the request's Content-Length, when it has one: a wrong one is refused before any byte is read. */
  async handle(id: string, signature: unknown, body: Readable, contentLength: number | undefined, now: Date): Promise<UploadReceived> {
    if (!UPLOAD_ID_PATTERN.test(id) || !this.urls.verify('write', id, signature)) {
      throw new ApiError(HttpStatus.FORBIDDEN, 'This upload URL is not valid: its signature does not match. Use the uploadUrl POST /uploads answered.');
    }
    const upload = await this.receivable(id, now);
    if (contentLength !== undefined && contentLength > upload.size) throw tooLarge(upload.size);
    if (contentLength !== undefined && contentLength < upload.size) throw tooShort(upload.size, contentLength);
    const owner = randomUUID();
    if (!(await this.records.claim(id, owner, now))) throw ApiError.conflict('Another PUT is sending this upload right now.');
    return withLogContext({ tenantId: upload.tenantId }, () => this.store(upload, owner, body));
  }

  private async receivable(id: string, now: Date): Promise<UploadRecord> {
    const upload = await this.records.find(id);
    if (!upload) throw ApiError.notFound('This upload (it may have expired and been deleted)');
    if (upload.expiresAt <= now)
      throw new ApiError(HttpStatus.GONE, `This upload expired at ${upload.expiresAt.toISOString()}; announce it again with POST /uploads.`);
    if (upload.state === 'complete') throw ApiError.conflict('This upload has been received already; an upload URL takes one file, once.');
    return upload;
  }

  private async store(upload: UploadRecord, owner: string, body: Readable): Promise<UploadReceived> {
    const temp = join(tmpdir(), `vrs-upload-${upload.id}-${randomBytes(6).toString('hex')}`);
    const lease = setInterval(() => {
      this.records
        .renew(upload.id, owner, new Date())
        .catch((error) => this.log.warn('upload lease not renewed', { uploadId: upload.id, error: (error as Error).message }));
    }, RECEIVE_LEASE_MS / 3);
    try {
      await receiveExactly(body, temp, upload.size);
      await this.storage.put(uploadStorageKey(upload), temp, upload.contentType);
      if (!(await this.records.complete(upload.id, owner, new Date()))) throw ApiError.conflict('Another PUT took this upload over while this one stalled.');
    } catch (error) {
      await this.records.release(upload.id, owner);
      this.log.info('upload refused', { uploadId: upload.id, reason: (error as Error).message });
      throw error;
    } finally {
      clearInterval(lease);
      await rm(temp, { force: true });
    }
    this.log.info('upload received', { uploadId: upload.id, size: upload.size });
    return { id: upload.id, src: uploadSrcFor(upload.id), size: upload.size };
  }
}
