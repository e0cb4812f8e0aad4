import { Controller, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { UploadReceived } from '@vrs/contracts';
import { ReceiveUploadHandler } from './receive-upload.handler';

/** The bytes of a source upload; no token: the signed uploadUrl is the capability (browsers PUT to it directly). */
@Controller('uploads')
export class ReceiveUploadController {
  constructor(private readonly handler: ReceiveUploadHandler) {}

  @Put(':id/content')
  @HttpCode(200)
  async receive(@Param('id') id: string, @Query('sig') sig: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<UploadReceived> {
    const length = req.header('content-length');
    try {
      return await this.handler.handle(id, sig, req, length === undefined ? undefined : Number(length), new Date());
    } catch (error) {
      // The rest of a refused body is not worth keeping the connection for.
      res.setHeader('Connection', 'close');
      throw error;
    }
  }
}
