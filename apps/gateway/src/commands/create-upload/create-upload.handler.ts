import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createUploadBody, uploadSrcFor, type UploadCreated } from '@vrs/contracts';
import { logger } from '@vrs/observability';
import { UPLOAD_RECORDS, type UploadRecords } from '../../application/ports/upload-records.port';
import type { GatewayConfig } from '../../config';
import type { Tenant } from '../../domain/tenant';
import { UploadUrls } from '../../domain/upload-urls';
import { ApiError } from '../../http/api-error';
import { parseBody } from '../../http/zod-body';
import { GATEWAY_CONFIG } from '../../tokens';

/** Announces a source upload: records what will come and hands back where to PUT it and how to use it. */
@Injectable()
export class CreateUploadHandler {
  private readonly log = logger('create-upload');

  constructor(
    @Inject(UPLOAD_RECORDS) private readonly records: UploadRecords,
    private readonly urls: UploadUrls,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'MAX_UPLOAD_BYTES' | 'UPLOAD_EXPIRY_SECONDS'>,
  ) {}

  async handle(tenant: Tenant, body: unknown, now: Date): Promise<UploadCreated> {
    const request = parseBody(createUploadBody, body);
    if (request.size > this.config.MAX_UPLOAD_BYTES) {
      throw new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, `size: ${request.size} bytes is more than uploads may hold (${this.config.MAX_UPLOAD_BYTES} bytes).`, [
        { field: 'size', message: `must be at most ${this.config.MAX_UPLOAD_BYTES}` },
      ]);
    }
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + this.config.UPLOAD_EXPIRY_SECONDS * 1000);
    // Inside an idempotent request this joins its transaction: the record and the stored answer commit together.
    await this.records.insert({ id, tenantId: tenant.id, ...request, state: 'pending', expiresAt });
    this.log.info('upload announced', { uploadId: id, tenantId: tenant.id, size: request.size, contentType: request.contentType });
    return { id, uploadUrl: this.urls.writeUrl(id), src: uploadSrcFor(id), expiresAt: expiresAt.toISOString() };
  }
}
