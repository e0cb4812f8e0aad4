import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldIssue } from '@vrs/contracts';

/** The documented error body: `{ error, details? }`, with the HTTP status it goes out with. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly error: string,
    readonly details?: FieldIssue[],
    readonly headers: Record<string, string> = {},
  ) {
    super({ error, ...(details ? { details } : {}) }, status);
  }

  static badRequest(error: string, details?: FieldIssue[]) {
    return new ApiError(HttpStatus.BAD_REQUEST, error, details);
  }
  static notFound(what: string) {
    return new ApiError(HttpStatus.NOT_FOUND, `${what} was not found.`);
  }
  static conflict(error: string) {
    return new ApiError(HttpStatus.CONFLICT, error);
  }
  static unauthorized() {
    return new ApiError(HttpStatus.UNAUTHORIZED, 'Send a valid API token as "Authorization: Bearer <token>".');
  }
}
