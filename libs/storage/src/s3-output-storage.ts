import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { breakerConfigFromEnv, CircuitBreakers, DEFAULT_RETRY } from '@vrs/net';
import { assertValidKey, assertValidRange, OutputNotFoundError, type ByteRange, type OutputStorage } from './output-storage';
import { createS3Client, isS3HostFailure } from './s3-client';
import { isS3NotFound } from './s3-errors';

export interface S3OutputStorageConfig {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle?: boolean;
  /** Multipart part size in bytes (at least 5 MiB). */
  partSize?: number;
}

export const DEFAULT_PART_SIZE = 16 * 1024 * 1024;

/** Outputs as objects in one bucket of an S3-compatible server. */
export class S3OutputStorage implements OutputStorage {
  private readonly client: S3Client;
  private readonly breakers: CircuitBreakers;

  constructor(private readonly config: S3OutputStorageConfig) {
    this.breakers = new CircuitBreakers({ ...breakerConfigFromEnv(), timeout: false }, isS3HostFailure);
    this.client = createS3Client({
      ...config,
      retry: DEFAULT_RETRY,
      breakers: this.breakers,
      breakerKey: config.endpoint ? new URL(config.endpoint).host : `s3.${config.region}`,
    });
  }

  async put(key: string, localPath: string, contentType: string): Promise<void> {
    assertValidKey(key);
    // Upload sends one PUT for small files and a multipart upload for large ones; S3 shows the object only once complete.
    await new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: key, Body: createReadStream(localPath), ContentType: contentType },
      partSize: this.config.partSize ?? DEFAULT_PART_SIZE,
      queueSize: 4,
    }).done();
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.stat(key);
      return true;
    } catch (error) {
      if (error instanceof OutputNotFoundError) return false;
      throw error;
    }
  }

  async stat(key: string): Promise<{ size: number }> {
    assertValidKey(key);
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: key })).catch((e) => this.rethrow(key, e));
    return { size: head.ContentLength ?? 0 };
  }

  async createReadStream(key: string, range?: ByteRange): Promise<Readable> {
    assertValidKey(key);
    if (range) assertValidRange(range);
    const object = await this.client
      .send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }))
      .catch((e) => this.rethrow(key, e));
    return object.Body as Readable;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
  }

  /** Releases sockets and breaker timers. */
  close(): void {
    this.client.destroy();
    this.breakers.shutdown();
  }

  private rethrow(key: string, error: unknown): never {
    throw isS3NotFound(error) ? new OutputNotFoundError(key) : error;
  }
}
