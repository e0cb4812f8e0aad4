import { Inject, Injectable } from '@nestjs/common';
import {
  formatPath,
  replaceUploadSources,
  replaceUploadSourcesInJoin,
  uploadSourcesIn,
  uploadSourcesInJoin,
  type FieldIssue,
  type UploadSourceRef,
} from '@vrs/contracts';
import { UploadUrls } from '../domain/upload-urls';
import { ApiError } from '../http/api-error';
import { UPLOAD_RECORDS, type UploadRecords } from './ports/upload-records.port';

/**
 * Turns a job's `upload://<id>` sources into signed read URLs before the job is published. Only the
 * tenant's own, received and unexpired uploads pass: anything else is a 400 naming the asset's field.
 */
@Injectable()
export class UploadSourceResolver {
  constructor(
    @Inject(UPLOAD_RECORDS) private readonly records: UploadRecords,
    private readonly urls: UploadUrls,
  ) {}

  async resolve<T>(tenantId: string, assets: T[], now: Date): Promise<T[]> {
    const sources = uploadSourcesIn(assets);
    if (sources.length === 0) return assets;
    await this.check(tenantId, sources, now);
    return replaceUploadSources(assets, (id) => this.urls.readUrl(id));
  }

  /** A join body's clips and its soundtrack. */
  async resolveJoin<T extends Parameters<typeof replaceUploadSourcesInJoin>[0]>(tenantId: string, body: T, now: Date): Promise<T> {
    const sources = uploadSourcesInJoin(body);
    if (sources.length === 0) return body;
    await this.check(tenantId, sources, now);
    return replaceUploadSourcesInJoin(body, (id) => this.urls.readUrl(id));
  }

  private async check(tenantId: string, sources: UploadSourceRef[], now: Date): Promise<void> {
    const found = new Map((await this.records.findForTenant(tenantId, [...new Set(sources.map((s) => s.uploadId))])).map((upload) => [upload.id, upload]));
    const issues: FieldIssue[] = sources.flatMap(({ path, uploadId }) => {
      const upload = found.get(uploadId);
      const field = formatPath(path);
      if (!upload) return [{ field, message: `upload ${uploadId} does not exist (or has expired and been deleted)` }];
      if (upload.expiresAt <= now) return [{ field, message: `upload ${uploadId} expired at ${upload.expiresAt.toISOString()}` }];
      if (upload.state !== 'complete') return [{ field, message: `upload ${uploadId} has not been received yet (PUT its bytes to the uploadUrl first)` }];
      return [];
    });
    if (issues.length > 0) throw ApiError.badRequest(`An upload:// source cannot be used: ${issues[0].field}: ${issues[0].message}.`, issues);
  }
}
