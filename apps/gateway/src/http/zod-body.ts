import type { z } from 'zod';
import { toFieldIssues } from '@vrs/contracts';
import { ApiError } from './api-error';

/** Validates a request body against a schema, or throws the documented 400 naming every bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.badRequest('The body must be a JSON object.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const details = toFieldIssues(result.error);
  throw ApiError.badRequest(`The request body has ${details.length} invalid field${details.length === 1 ? '' : 's'}: ${details[0].field}: ${details[0].message}${details.length > 1 ? ' (see details)' : ''}.`, details);
}
