import { s3HttpStatus } from './s3-client';

/** The S3 error code ("NoSuchBucket", "SignatureDoesNotMatch") or the socket error code, never the message. */
export function s3ErrorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string; cause?: { code?: string } };
  return e?.Code ?? e?.code ?? e?.cause?.code ?? (e?.name && e.name !== 'Error' ? e.name : 'UnknownError');
}

export function s3Attempts(error: unknown): number | undefined {
  return (error as { $metadata?: { attempts?: number } })?.$metadata?.attempts;
}

export function isS3NotFound(error: unknown): boolean {
  const code = s3ErrorCode(error);
  return s3HttpStatus(error) === 404 || code === 'NoSuchKey' || code === 'NotFound';
}
