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

/** Every error leaves as `{ error, details? }`; unexpected ones are logged and answered with a 500 that leaks nothing. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
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
    this.log.error('unhandled error', { error: exception instanceof Error ? exception.stack : String(exception) });
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: 'Something went wrong on our side; try again, and contact support with the X-Request-Id if it persists.' });
  }
}
