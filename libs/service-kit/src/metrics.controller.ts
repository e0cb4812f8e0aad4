import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { renderMetrics } from '@vrs/observability';

/** Prometheus scrape endpoint, beside /health on the same port. */
@Controller()
export class MetricsController {
  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    const { contentType, body } = await renderMetrics();
    // end(), not send(): send would rewrite the exposition format's content type.
    res.status(200).setHeader('Content-Type', contentType);
    res.end(body);
  }
}
