import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { logger } from '@vrs/observability';
import { ApiError } from './api-error';

const MESSAGES: Record<number, string> = {
  400: 'The request is not valid.',
  401: 'Send a valid API token as "Authorization: Bearer <token>".',
  404: 'There is nothing at this address.',
  405: 'This method is not allowed here.',
  413: 'The request body is larger than this API accepts.',
  415: 'Send the body as JSON (Content-Type: application/json).',
};

/** Connection failures and the server refusing connections (shutting down, too many clients). */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300']);

function isDatabaseUnavailable(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string }; message?: string } | undefined;
  const code = candidate?.driverError?.code ?? candidate?.code;
  return (code !== undefined && UNAVAILABLE_CODES.has(code)) || /Connection terminated|timeout exceeded when trying to connect/.test(candidate?.message ?? '');
}

/** Every error leaves as `{ error, details? }`: 503 when the database is out of reach; unexpected ones are logged and answered with a 500 that leaks nothing. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      // A body is already on its way (a file download): nothing valid can follow it, so the
      // connection is closed. A client that hung up (players do, when seeking) is no error of ours.
      if ((exception as NodeJS.ErrnoException)?.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        this.log.warn('error after the response started; connection closed', { error: (exception as Error)?.message ?? String(exception) });
      }
      res.destroy();
      return;
    }
    if (exception instanceof ApiError) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
      res.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      res.status(status).json({ error: MESSAGES[status] ?? exception.message });
      return;
    }
    if (isDatabaseUnavailable(exception)) {
      this.log.warn('database unavailable', { error: (exception as Error).message });
      res.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5').json({ error: 'The service is briefly unavailable; retry in a few seconds.' });
      return;
    }
    this.log.error('unhandled error', { error: exception instanceof Error ? exception.stack : String(exception) });
    res
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ error: 'Something went wrong on our side; try again, and contact support with the X-Request-Id if it persists.' });
  }
}
