import type { z } from 'zod';
import { toFieldIssues } from '@vrs/contracts';
import { ApiError } from './api-error';

/** Validates a request body against a schema, or throws the documented 400 naming every bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.badRequest('The body must be a JSON object.');
  }
  return parseOrThrow(schema, body, 'The request body has', 'invalid field');
}

/** Validates a URL's query parameters, or throws a 400 naming each bad parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, unknown>): z.infer<S> {
  return parseOrThrow(schema, { ...query }, 'The query has', 'invalid parameter');
}

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, lead: string, noun: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = toFieldIssues(result.error);
  const first = details[0].field === '(body)' ? details[0].message : `${details[0].field}: ${details[0].message}`;
  throw ApiError.badRequest(
    `${lead} ${details.length} ${noun}${details.length === 1 ? '' : 's'}: ${first}${details.length > 1 ? ' (see details)' : ''}.`,
    details,
  );
}
