import { z } from 'zod';

/** The request header that makes a creating POST safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** How long a key answers with its first response; after that it may be used again. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

export const idempotencyKey = z
  .string()
  .min(1, `${IDEMPOTENCY_KEY_HEADER} must not be empty`)
  .max(IDEMPOTENCY_KEY_MAX_LENGTH, `${IDEMPOTENCY_KEY_HEADER} must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`)
  .regex(/^[\x20-\x7e]*$/, `${IDEMPOTENCY_KEY_HEADER} must be printable ASCII`)
  .describe(
    `Any string of 1–${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters (a UUID is typical). The same key with the same body within ${IDEMPOTENCY_KEY_TTL_HOURS} h answers the first response again and creates nothing; with another body it is a 422. Keys are per tenant.`,
  );
