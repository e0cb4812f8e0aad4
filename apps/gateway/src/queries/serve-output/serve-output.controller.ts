import { pipeline } from 'node:stream/promises';
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OutputUrls } from '@vrs/contracts';
import { OUTPUT_STORAGE, OutputNotFoundError, type OutputStorage } from '@vrs/storage';
import { ApiError } from '../../http/api-error';
import { outputContentType, servedThumbnailIndex } from './output-media';

/** Parses a single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; anything else is served whole. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const start = match[1] === '' ? Math.max(0, size - Number(match[2])) : Number(match[1]);
  const end = match[1] === '' || match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

/**
 * Serves stored outputs (videos, posters, thumbnail sprites and indexes) through their signed URL, with
 * range requests so players can seek. A thumbnail index is small and served whole, its sprite reference signed.
 */
@Controller('outputs')
export class ServeOutputController {
  constructor(
    @Inject(OUTPUT_STORAGE) private readonly storage: OutputStorage,
    @Inject(OutputUrls) private readonly urls: OutputUrls,
  ) {}

  @Get(':key')
  async serve(@Param('key') key: string, @Query('sig') sig: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.urls.verify(key, sig)) throw ApiError.notFound('This output');
    let size: number;
    try {
      ({ size } = await this.storage.stat(key));
    } catch (error) {
      if (error instanceof OutputNotFoundError) throw ApiError.notFound('This output (the job may not have finished yet)');
      throw error;
    }
    if (key.endsWith('.vtt')) return this.serveThumbnailIndex(key, req, res);
    const range = parseRange(req.header('range'), size);
    res.setHeader('Accept-Ranges', 'bytes');
    if (range === 'unsatisfiable') {
      res
        .status(416)
        .setHeader('Content-Range', `bytes */${size}`)
        .json({ error: `The requested range is outside the file (${size} bytes).` });
      return;
    }
    res.setHeader('Content-Type', outputContentType(key));
    if (range) {
      res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      res.status(200).setHeader('Content-Length', String(size));
    }
    if (req.method === 'HEAD') return void res.end();
    await pipeline(await this.storage.createReadStream(key, range), res);
  }

  private async serveThumbnailIndex(key: string, req: Request, res: Response): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.createReadStream(key)) chunks.push(chunk as Buffer);
    const body = servedThumbnailIndex(key, Buffer.concat(chunks).toString('utf8'), this.urls);
    // Players on other sites fetch the index with XHR; the signature, not the origin, is what grants access.
    res.status(200).setHeader('Content-Type', outputContentType(key)).setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Content-Length', String(Buffer.byteLength(body)));
    if (req.method === 'HEAD') return void res.end();
    res.end(body);
  }
}
