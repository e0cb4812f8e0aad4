const SECRET_KEY = /secret|password|passwd|token|authorization|accesskey|credential|signature/i;
export const MASK = '***';

/** Deep copy of `value` with every secret-looking field masked; safe to log or return. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) && item !== undefined && item !== null ? MASK : redact(item, depth + 1),
    ]),
  );
}
