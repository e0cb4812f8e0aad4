import { pipeline } from 'node:stream/promises';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ServeUploadHandler } from './serve-upload.handler';

/** Serves a received upload through its signed read URL (no token: the signature is the capability). */
@Controller('uploads')
export class ServeUploadController {
  constructor(private readonly handler: ServeUploadHandler) {}

  @Get(':id/content')
  async serve(@Param('id') id: string, @Query('sig') sig: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { upload, body } = await this.handler.open(id, sig, req.method !== 'HEAD');
    res.status(200).setHeader('Content-Type', upload.contentType).setHeader('Content-Length', String(upload.size));
    if (!body) return void res.end();
    await pipeline(body, res);
  }
}
