import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { renderMetrics } from '@vrs/observability';

/** Prometheus scrape endpoint, beside /health on the same port. */
@Controller()
export class MetricsController {
  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    const { contentType, body } = await renderMetrics();
    res.status(200).type(contentType).send(body);
  }
}
