import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { TOPICS } from '@vrs/contracts';
import { closedPort, readTopic, testKafka, topicEnd } from '@vrs/testing';
import { createTestBucket, S3_TEST, testS3Client } from '../../libs/storage/src/testing/s3-test-env';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { apiClient, createTenant, ensureServices, REPO_ROOT, SAMPLE_MEDIA, type ApiClient } from '../support/system';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

describe("upload to the caller's bucket", () => {
  const s3 = testS3Client();
  const kafka = testKafka();
  let media: MediaServer;
  let api: ApiClient;
  let bucket: { bucket: string; drop: () => Promise<void> };
  let hook: WebhookReceiver;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    api = apiClient((await createTenant('upload-e2e')).token);
    bucket = await createTestBucket(s3, 'e2e-upload');
    hook = await startWebhookReceiver();
  });
  afterAll(async () => {
    await Promise.all([media?.close(), hook?.close(), bucket?.drop()]);
    s3.destroy();
  });

  const upload = (params: Record<string, string>) => ({
    provider: 's3',
    prefix: 'renders/',
    params: {
      endpoint: S3_TEST.endpoint,
      region: S3_TEST.region,
      bucket: bucket.bucket,
      accessKeyId: S3_TEST.accessKeyId,
      accessKeySecret: S3_TEST.secretAccessKey,
      ...params,
    },
  });
  const submit = async (uploadSpec: unknown) => {
    const created = await api.post('/jobs/join', {
      assets: [
        { type: 'video', src: media.url('video.mp4') },
        { type: 'video', src: media.url('sar_2x1.mp4') },
      ],
      upload: uploadSpec,
      webhook: { url: `${hook.url}/hook` },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };

  it('puts the stitched file at prefix + <job id>.mp4, byte for byte the outputUrl, and reports its URL', async () => {
    const id = await submit(upload({}));
    const job = await api.waitForEnd(id, 90_000);
    expect(job.status).toBe('finished');
    expect(job.uploadedUrl).toBe(`${S3_TEST.endpoint}/${bucket.bucket}/renders/${id}.mp4`);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: `renders/${id}.mp4` }));
    const uploaded = Buffer.from(await object.Body!.transformToByteArray());
    const served = Buffer.from(await (await fetch(job.outputUrl)).arrayBuffer());
    expect(served.length).toBeGreaterThan(10_000);
    expect(uploaded.equals(served)).toBe(true);
    expect(object.ContentType).toBe('video/mp4');
  });

  it("pushes a render job's output to the caller's bucket too", async () => {
    const template = await api.post('/templates', {
      name: 'Upload card',
      driver: 'builtin',
      compositions: { main: { width: 160, height: 90, fps: 25, durationSec: 1, background: { color: '#102030' }, layers: [] } },
    });
    expect(template.status).toBe(201);
    const created = await api.post('/jobs', { template: { id: template.body.id, composition: 'main' }, assets: [], upload: upload({}) });
    expect(created.status).toBe(201);
    const job = await api.waitForEnd(created.body.id, 90_000);
    expect(job).toMatchObject({ status: 'finished', uploadedUrl: `${S3_TEST.endpoint}/${bucket.bucket}/renders/${created.body.id}.mp4` });
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: `renders/${created.body.id}.mp4` }));
    const uploaded = Buffer.from(await object.Body!.transformToByteArray());
    const served = Buffer.from(await (await fetch(job.outputUrl)).arrayBuffer());
    expect(uploaded.equals(served)).toBe(true);
  });

  it('ends the job in error, saying what to fix, for a wrong secret, a missing bucket or an unreachable endpoint, and never shows the secret', async () => {
    const secret = `wrong-secret-${randomUUID()}`;
    const from = await topicEnd(kafka, TOPICS.joinRequested);
    const [wrongSecret, missingBucket, unreachable] = await Promise.all([
      submit(upload({ accessKeySecret: secret })),
      submit(upload({ bucket: `missing-${randomUUID().slice(0, 8)}` })),
      submit(upload({ endpoint: `http://127.0.0.1:${await closedPort()}` })),
    ]);
    const expected: [string, RegExp][] = [
      [wrongSecret, /could not be uploaded to your bucket: The storage rejected the upload credentials .*accessKeySecret/],
      [missingBucket, /could not be uploaded to your bucket: There is no bucket "missing-/],
      [unreachable, /could not be uploaded to your bucket: Could not reach bucket .*upload\.params\.endpoint/],
    ];
    for (const [id, reason] of expected) {
      const job = await api.waitForEnd(id, 120_000);
      expect(job.status).toBe('error');
      expect(job.stats.error).toMatch(reason);
    }

    const seen: string[] = [
      JSON.stringify((await api.get(`/jobs/${wrongSecret}`)).body),
      String((await api.get(`/jobs/${wrongSecret}/logs`)).body),
      JSON.stringify((await api.get('/jobs?limit=1000')).body),
      ...hook.received.map((request) => request.body),
    ];
    expect(hook.received.some((request) => JSON.parse(request.body).id === wrongSecret)).toBe(true);
    const logDir = join(REPO_ROOT, '.var/log');
    for (const name of readdirSync(logDir).filter((file) => file.endsWith('.log'))) seen.push(readFileSync(join(logDir, name), 'utf8'));
    // On the broker the secret travels sealed with the deployment key.
    const [request] = await readTopic(kafka, TOPICS.joinRequested, from, (m) => m.key === wrongSecret, 1, 10_000);
    expect(JSON.parse(request.value).upload.params.accessKeySecret).toMatch(/^enc:v1:/);
    seen.push(request.value);
    for (const text of seen) expect(text.includes(secret)).toBe(false);
  });
});
