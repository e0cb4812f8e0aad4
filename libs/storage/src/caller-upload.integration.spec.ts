import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CircuitBreakers, createOutboundPolicy } from '@vrs/net';
import { closedPort } from '@vrs/testing';
import { CallerUploadError, uploadToCallerBucket, type CallerUpload, type CallerUploadOptions } from './caller-upload';
import { isS3HostFailure } from './s3-client';
import { createTestBucket, S3_TEST, testS3Client } from './testing/s3-test-env';

describe('uploadToCallerBucket', () => {
  const policy = createOutboundPolicy('127.0.0.1/32');
  let admin: S3Client;
  let bucket: string;
  let dropBucket: () => Promise<void>;
  let work: string;
  let breakers: CircuitBreakers;
  const big = randomBytes(12 * 1024 * 1024 + 12345);

  const upload = (overrides: Partial<CallerUpload['params']> = {}, extra: Partial<CallerUpload> = {}): CallerUpload => ({
    provider: 's3',
    prefix: 'renders/',
    params: {
      endpoint: S3_TEST.endpoint,
      region: S3_TEST.region,
      bucket,
      accessKeyId: S3_TEST.accessKeyId,
      accessKeySecret: S3_TEST.secretAccessKey,
      ...overrides,
    },
    ...extra,
  });
  const options = (extra: CallerUploadOptions = {}): CallerUploadOptions => ({
    policy,
    breakers,
    partSize: 5 * 1024 * 1024,
    retry: { retries: 2, baseDelayMs: 50, maxDelayMs: 200 },
    ...extra,
  });

  async function failure(request: CallerUpload, extra?: CallerUploadOptions): Promise<CallerUploadError> {
    const error = await uploadToCallerBucket(join(work, 'small.mp4'), request, 'job-x', options(extra)).then(
      () => undefined,
      (e) => e,
    );
    expect(error).toBeInstanceOf(CallerUploadError);
    expect(error.message).not.toContain(S3_TEST.secretAccessKey);
    expect(JSON.stringify(error)).not.toContain(S3_TEST.secretAccessKey);
    return error;
  }

  beforeAll(async () => {
    admin = testS3Client();
    ({ bucket, drop: dropBucket } = await createTestBucket(admin, 'caller'));
    work = await mkdtemp(join(tmpdir(), 'vrs-upload-'));
    await writeFile(join(work, 'big.mp4'), big);
    await writeFile(join(work, 'small.mp4'), 'small output');
  });

  beforeEach(() => {
    breakers = new CircuitBreakers({ timeout: false, volumeThreshold: 100 }, isS3HostFailure);
  });
  afterEach(() => breakers.shutdown());

  afterAll(async () => {
    await dropBucket();
    admin.destroy();
    await rm(work, { recursive: true, force: true });
  });

  it('uploads a large file in parts, byte for byte, under prefix + job id', async () => {
    const url = await uploadToCallerBucket(join(work, 'big.mp4'), upload({ acl: 'private' }), 'job-42', options());
    expect(url).toBe(`${S3_TEST.endpoint}/${bucket}/renders/job-42.mp4`);
    const head = await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: 'renders/job-42.mp4' }));
    expect(head.ContentType).toBe('video/mp4');
    expect(head.ETag).toMatch(/-3"?$/); // a multipart ETag names its part count: 12 MB in 5 MB parts
    const object = await admin.send(new GetObjectCommand({ Bucket: bucket, Key: 'renders/job-42.mp4' }));
    const body = Buffer.from(await object.Body!.transformToByteArray());
    expect(body.length).toBe(big.length);
    expect(body.equals(big)).toBe(true);
  });

  it('returns the caller’s public URL when outputUrl is given', async () => {
    const url = await uploadToCallerBucket(
      join(work, 'small.mp4'),
      upload({}, { prefix: 'a b/', outputUrl: 'https://cdn.example.com/videos/' }),
      'job-7',
      options(),
    );
    expect(url).toBe('https://cdn.example.com/videos/a%20b/job-7.mp4');
  });

  it('names wrong credentials without repeating the secret', async () => {
    const error = await failure(upload({ accessKeySecret: 'wrong-secret-value-123' }));
    expect(error.code).toBe('bad_credentials');
    expect(error.message).toContain('check upload.params.accessKeyId and accessKeySecret');
    expect(error.message).not.toContain('wrong-secret-value-123');
    expect(JSON.stringify(error)).not.toContain('wrong-secret-value-123');
  });

  it('names an unknown access key as bad credentials', async () => {
    expect((await failure(upload({ accessKeyId: 'nobody' }))).code).toBe('bad_credentials');
  });

  it('names a missing bucket', async () => {
    const error = await failure(upload({ bucket: 'no-such-bucket-vrs' }));
    expect(error.code).toBe('bucket_not_found');
    expect(error.message).toContain('"no-such-bucket-vrs"');
  });

  it('gives up on an unreachable endpoint after the bounded retries', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await failure(upload({ endpoint: `http://127.0.0.1:${port}` }));
    expect(error.code).toBe('unreachable');
    expect(error.details.attempts).toBe(3);
    expect(error.message).toContain('after 3 attempts (ECONNREFUSED)');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses endpoints the outbound policy blocks, before connecting', async () => {
    expect((await failure(upload({ endpoint: 'http://169.254.169.254' }))).code).toBe('blocked_url');
    const error = await failure(upload(), { policy: createOutboundPolicy('') });
    expect(error.code).toBe('blocked_url');
    expect(error.message).toContain('loopback');
    expect((await failure(upload({ endpoint: 'file:///etc/passwd' }))).code).toBe('blocked_url');
  });

  it('refuses a region that is not a region name', async () => {
    expect((await failure(upload({ endpoint: undefined, region: 'evil.com/x' }))).code).toBe('invalid_upload');
  });
});
