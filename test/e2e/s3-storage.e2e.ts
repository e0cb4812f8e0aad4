import { statSync } from 'node:fs';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3_TEST, testS3Client } from '../../libs/storage/src/testing/s3-test-env';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { probeStitched } from '../support/probe';
import { apiClient, createTenant, ensureServices, restartServices, SAMPLE_MEDIA } from '../support/system';
import { uploadFile } from '../support/uploads';

// The services that write or read outputs; the platform's own bucket comes from scripts/infra/s3.sh.
const STORAGE_SERVICES = ['gateway', 'stitcher', 'render-adapter'];
const S3_STORAGE = {
  STORAGE_DRIVER: 's3',
  S3_ENDPOINT: S3_TEST.endpoint,
  S3_REGION: S3_TEST.region,
  S3_BUCKET: 'vrs-outputs',
  S3_ACCESS_KEY_ID: S3_TEST.accessKeyId,
  S3_SECRET_ACCESS_KEY: S3_TEST.secretAccessKey,
};

describe('outputs in S3-compatible storage (STORAGE_DRIVER=s3)', () => {
  const s3 = testS3Client();
  let media: MediaServer;

  beforeAll(async () => {
    await ensureServices();
    await restartServices(STORAGE_SERVICES, S3_STORAGE);
    media = await serveDirectory(SAMPLE_MEDIA);
  });
  afterAll(async () => {
    await restartServices(STORAGE_SERVICES); // back to local storage for the scenarios that follow
    await media.close();
    s3.destroy();
  });

  it('stores the stitched file in the bucket and serves outputUrl from it, with ranges', async () => {
    const api = apiClient((await createTenant('s3-storage-e2e')).token);
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('edts.mp4') },
        { type: 'video', src: media.url('video.mp4') },
      ],
    });
    const before = await fetch(created.body.outputUrl);
    expect(before.status).toBe(404);
    await before.arrayBuffer();

    const job = await api.waitForEnd(created.body.id);
    expect(job.status).toBe('finished');
    expect(job.outputUrl).toBe(created.body.outputUrl);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'vrs-outputs', Key: `${created.body.id}.mp4` }));
    const output = await probeStitched(job.outputUrl);
    expect(output.bytes.length).toBe(head.ContentLength);
    expect([output.videoStreams, output.audioStreams]).toEqual([1, 1]);
    const part = await fetch(job.outputUrl, { headers: { range: 'bytes=0-1023' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(output.bytes.subarray(0, 1024))).toBe(true);
  });

  it('keeps a source upload in the bucket under the tenant and joins it', async () => {
    const tenant = await createTenant('s3-upload-e2e');
    const api = apiClient(tenant.token);
    const upload = await uploadFile(api, `${SAMPLE_MEDIA}/video.mp4`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'vrs-outputs', Key: `uploads/${tenant.id}/${upload.id}` }));
    expect(head.ContentLength).toBe(statSync(`${SAMPLE_MEDIA}/video.mp4`).size);
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: upload.src },
        { type: 'video', src: media.url('edts.mp4') },
      ],
    });
    const job = await api.waitForEnd(created.body.id);
    expect(job.stats.error).toBeNull();
    expect(job.status).toBe('finished');
    expect(Math.abs((await probeStitched(job.outputUrl)).duration - 14)).toBeLessThanOrEqual(0.05);
  });
});
