import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { UPLOAD_ID_PATTERN } from '@vrs/contracts';
import { OutputNotFoundError, type OutputStorage } from '@vrs/storage';
import { ApiError } from '../../http/api-error';
import { UploadRecords, uploadStorageKey } from '../../infrastructure/upload-records';
import { UploadUrls } from '../../infrastructure/upload-urls';
import { OUTPUT_STORAGE } from '../../tokens';

/**
 * Serves a received upload to the services that fetch clips, through the read URL its `upload://`
 * source was turned into when a job was accepted; until the cleanup deletes it.
 */
@Controller('uploads')
export class ServeUploadController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly urls: UploadUrls,
    @Inject(OUTPUT_STORAGE) private readonly storage: OutputStorage,
  ) {}

  @Get(':id/content')
  async serve(@Param('id') id: string, @Query('sig') sig: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!UPLOAD_ID_PATTERN.test(id) || !this.urls.verify('read', id, sig)) throw ApiError.notFound('This upload');
    const upload = await new UploadRecords(this.dataSource.manager).find(id);
    const gone = () => ApiError.notFound('This upload (it may have expired and been deleted)');
    if (upload?.state !== 'complete') throw gone();
    // Opened before any header goes out, so a missing object is still a clean 404.
    const body = req.method === 'HEAD' ? undefined : await this.storage.createReadStream(uploadStorageKey(upload))
      .catch((error) => { throw error instanceof OutputNotFoundError ? gone() : error; });
    res.status(200).setHeader('Content-Type', upload.contentType).setHeader('Content-Length', String(upload.size));
    if (!body) return void res.end();
    await pipeline(body, res);
  }
}
