import { z } from 'zod';
import { JOB_STATUSES } from '../events/common';

/** How many items one list request may return (`GET /jobs`, `GET /templates`). */
export const LIST_LIMITS = { default: 100, max: 1000 } as const;

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });

export const listLimit = wholeNumber(1, LIST_LIMITS.max).default(LIST_LIMITS.default);

/** `GET /jobs` query parameters. */
export const listJobsQuery = z.strictObject(
  {
    states: z
      .string()
      .describe(`comma-separated statuses: ${JOB_STATUSES.join(', ')}`)
      .optional()
      .transform((v) =>
        v
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined,
      )
      .pipe(z.array(z.enum(JOB_STATUSES, { error: `each state must be one of ${JOB_STATUSES.join(', ')}` })).optional()),
    limit: listLimit,
    from: z.string().datetime({ offset: true, error: 'must be an ISO 8601 time such as 2026-01-31T12:00:00Z' }).optional(),
    sort: z.enum(['asc', 'desc'], { error: 'must be "asc" or "desc"' }).default('desc'),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; use states, limit, from, sort`
        : undefined,
  },
);

/** `GET /templates` query parameters. */
export const listTemplatesQuery = z.strictObject({ limit: listLimit });
