import { s3HttpStatus } from './s3-client';

/**
 * The S3 error code ("NoSuchBucket", "SignatureDoesNotMatch") or the socket error code ("ECONNREFUSED"),
 * never the free-text message.
 */
export function s3ErrorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string; message?: string };
  if (e?.Code ?? e?.code) return (e.Code ?? e.code)!;
  // The SDK may wrap a socket error as "AWS SDK error wrapper for Error: connect ECONNREFUSED ..." and drop its code.
  const socketCode = e?.message?.match(/\b(E[A-Z]{4,}|EAI_AGAIN)\b/)?.[1];
  if (socketCode) return socketCode;
  return e?.name && e.name !== 'Error' ? e.name : 'UnknownError';
}

export function s3Attempts(error: unknown): number | undefined {
  return (error as { $metadata?: { attempts?: number } })?.$metadata?.attempts;
}

export function isS3NotFound(error: unknown): boolean {
  const code = s3ErrorCode(error);
  return s3HttpStatus(error) === 404 || code === 'NoSuchKey' || code === 'NotFound';
}
