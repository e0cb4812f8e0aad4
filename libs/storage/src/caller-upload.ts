import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type ObjectCannedACL } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  breakerConfigFromEnv,
  CircuitBreakers,
  CircuitOpenError,
  DEFAULT_RETRY,
  OutboundError,
  pinnedAgent,
  resolveSafeTarget,
  type OutboundPolicy,
  type RetryOptions,
} from '@vrs/net';
import { logger } from '@vrs/observability';
import { createS3Client, isS3HostFailure, s3HttpStatus } from './s3-client';
import { s3Attempts, s3ErrorCode } from './s3-errors';
import { DEFAULT_PART_SIZE } from './s3-output-storage';

/** The API's `upload` object: where to push a job's result in the caller's own bucket. */
export interface CallerUpload {
  provider: 's3';
  prefix?: string;
  /** Public base URL the caller serves the bucket from; the returned URL is this + key. */
  outputUrl?: string;
  params: {
    endpoint?: string;
    region: string;
    bucket: string;
    acl?: string;
    accessKeyId: string;
    accessKeySecret: string;
  };
}

export interface CallerUploadOptions {
  policy?: OutboundPolicy;
  breakers?: CircuitBreakers;
  /** Multipart part size in bytes (at least 5 MiB); files above it go up in parts. */
  partSize?: number;
  retry?: Partial<RetryOptions>;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export type CallerUploadErrorCode = 'invalid_upload' | 'blocked_url' | 'bad_credentials' | 'access_denied' | 'bucket_not_found' | 'unreachable' | 'failed';

/** Why a push to the caller's bucket failed, in one sentence naming what to fix; never carries credentials. */
export class CallerUploadError extends Error {
  readonly name = 'CallerUploadError';
  constructor(
    readonly code: CallerUploadErrorCode,
    message: string,
    readonly details: { s3Code?: string; httpStatus?: number; attempts?: number } = {},
  ) {
    super(message);
  }
}

const log = logger('storage.caller-upload');
let sharedBreakers: CircuitBreakers | undefined;

/**
 * Uploads `localPath` to the caller's bucket as `prefix + <jobId>.mp4` and returns the object's URL.
 * The endpoint must pass the outbound URL policy, and connections go only to the address it checked.
 */
export async function uploadToCallerBucket(localPath: string, upload: CallerUpload, jobId: string, options: CallerUploadOptions = {}): Promise<string> {
  const { params } = upload;
  const key = `${upload.prefix ?? ''}${jobId}.mp4`;
  const endpoint = callerEndpoint(upload);
  const target = await resolveSafeTarget(endpoint, options.policy).catch((error) => {
    throw error instanceof OutboundError ? new CallerUploadError('blocked_url', `upload.params.endpoint refused: ${error.message}`) : error;
  });
  const agent = pinnedAgent(target, { keepAlive: true });
  const where = `bucket "${params.bucket}" at ${target.url.host}`;
  sharedBreakers ??= new CircuitBreakers({ ...breakerConfigFromEnv(), timeout: false }, isS3HostFailure);
  const client = createS3Client({
    endpoint: target.url.toString(),
    region: params.region,
    accessKeyId: params.accessKeyId,
    secretAccessKey: params.accessKeySecret,
    forcePathStyle: true,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    connectTimeoutMs: options.connectTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    agent,
    breakers: options.breakers ?? sharedBreakers,
    breakerKey: target.url.host,
  });

  const started = Date.now();
  const { size } = await stat(localPath);
  try {
    await new Upload({
      client,
      params: {
        Bucket: params.bucket,
        Key: key,
        Body: createReadStream(localPath),
        ContentType: 'video/mp4',
        ACL: params.acl as ObjectCannedACL | undefined,
      },
      partSize: options.partSize ?? DEFAULT_PART_SIZE,
      queueSize: 4,
    }).done();
  } catch (error) {
    throw describeFailure(error, where);
  } finally {
    client.destroy();
    agent.destroy();
  }
  log.info('uploaded output to caller bucket', { bucket: params.bucket, key, host: target.url.host, bytes: size, ms: Date.now() - started });
  return objectUrl(upload, endpoint, key);
}

/** The endpoint the SDK would use: the given one, or AWS's regional endpoint. */
function callerEndpoint(upload: CallerUpload): string {
  const { endpoint, region, bucket } = upload.params;
  if (!/^[a-z0-9-]{1,40}$/.test(region))
    throw new CallerUploadError('invalid_upload', `upload.params.region "${region.slice(0, 40)}" is not a region name such as "us-east-1".`);
  if (!bucket || bucket.includes('/')) throw new CallerUploadError('invalid_upload', 'upload.params.bucket must be a bucket name without "/".');
  return endpoint ?? `https://s3.${region}.amazonaws.com`;
}

function objectUrl(upload: CallerUpload, endpoint: string, key: string): string {
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  if (upload.outputUrl) return `${upload.outputUrl.replace(/\/+$/, '')}/${encodedKey}`;
  return `${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(upload.params.bucket)}/${encodedKey}`;
}

const BAD_CREDENTIALS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AuthorizationHeaderMalformed', 'InvalidToken', 'ExpiredToken']);

/** Turns an SDK or socket error into a sentence built only from codes, so no credential can leak into it. */
function describeFailure(error: unknown, where: string): CallerUploadError {
  if (error instanceof CircuitOpenError)
    return new CallerUploadError('unreachable', `Uploads to ${where} are paused after repeated failures; try again in a minute.`);
  const s3Code = s3ErrorCode(error);
  const httpStatus = s3HttpStatus(error);
  const attempts = s3Attempts(error);
  const details = { s3Code, httpStatus, attempts };
  if (BAD_CREDENTIALS.has(s3Code)) {
    return new CallerUploadError(
      'bad_credentials',
      `The storage rejected the upload credentials for ${where} (${s3Code}); check upload.params.accessKeyId and accessKeySecret.`,
      details,
    );
  }
  if (s3Code === 'NoSuchBucket')
    return new CallerUploadError('bucket_not_found', `There is no ${where}; create the bucket or fix upload.params.bucket.`, details);
  if (s3Code === 'AccessDenied' || httpStatus === 403) {
    return new CallerUploadError(
      'access_denied',
      `The upload credentials may not write to ${where} (${s3Code}); grant them PutObject and multipart upload rights.`,
      details,
    );
  }
  if (httpStatus === undefined) {
    const tries = attempts ? ` after ${attempts} attempt${attempts > 1 ? 's' : ''}` : '';
    return new CallerUploadError(
      'unreachable',
      `Could not reach ${where}${tries} (${s3Code}); check upload.params.endpoint and that the server is up.`,
      details,
    );
  }
  return new CallerUploadError('failed', `Uploading to ${where} failed with ${s3Code} (HTTP ${httpStatus}); try again later.`, details);
}
