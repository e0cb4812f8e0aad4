import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { CONSUMER_GROUPS, deadLetterTopic, jobIdOfRecord, TOPICS } from '@vrs/contracts';
import { DLQ_HEADERS, messageRef, recordIdentity } from '@vrs/messaging';
import { queryDatabase, readTopic, readWholeTopic, testKafka, topicEnd, waitFor } from '@vrs/testing';
import { createTestBucket, S3_TEST, testS3Client } from '../../libs/storage/src/testing/s3-test-env';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { apiClient, createTenant, ensureServices, REPO_ROOT, SAMPLE_MEDIA, type ApiClient, type TenantCredentials } from '../support/system';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

/** GET on a connection of its own: after the long topic read, a pooled keep-alive one may be closing under us. */
const download = (url: string) =>
  new Promise<{ status: number; bytes: number }>((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    }).on('error', reject);
  });

const orchestratorLog = () => readFileSync(join(REPO_ROOT, '.var/log/job-orchestrator.log'), 'utf8');

describe('what the broker carries and whom Kafka intake trusts', () => {
  const kafka = testKafka();
  const s3 = testS3Client();
  let producer: Producer;
  let media: MediaServer;
  let hook: WebhookReceiver;
  let bucket: { bucket: string; drop: () => Promise<void> };
  let owner: TenantCredentials;
  let api: ApiClient;

  beforeAll(async () => {
    await ensureServices();
    producer = kafka.producer();
    await producer.connect();
    media = await serveDirectory(SAMPLE_MEDIA);
    hook = await startWebhookReceiver();
    bucket = await createTestBucket(s3, 'e2e-trust');
    owner = await createTenant('trust-e2e');
    api = apiClient(owner.token);
  });
  afterAll(async () => {
    await Promise.all([producer?.disconnect(), media?.close(), hook?.close(), bucket?.drop()]);
    s3.destroy();
  });

  /** As another system on the broker would publish a join request. */
  const publishJoin = (body: Record<string, unknown>, key: string) =>
    producer.send({ topic: TOPICS.joinRequested, messages: [{ key, value: JSON.stringify({ schemaVersion: 1, ...body }) }] });
  const clip = () => [{ type: 'video', src: media.url('edts.mp4') }];

  it('puts the signed outputUrl on job.status-changed and no webhook target, header or upload key on it', async () => {
    const querySecret = `qs-${randomUUID()}`;
    const bearer = `bearer-${randomUUID()}`;
    const webhookFrom = await topicEnd(kafka, TOPICS.jobWebhookRequested);
    const created = await api.post('/jobs/join', {
      assets: [{ type: 'video', src: media.url('video.mp4') }],
      upload: {
        provider: 's3',
        prefix: 'trust/',
        params: {
          endpoint: S3_TEST.endpoint,
          region: S3_TEST.region,
          bucket: bucket.bucket,
          accessKeyId: S3_TEST.accessKeyId,
          accessKeySecret: S3_TEST.secretAccessKey,
        },
      },
      webhook: { url: `${hook.url}/hook?secret=${querySecret}`, headers: { Authorization: `Bearer ${bearer}` } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const job = await api.waitForEnd(id, 120_000);
    expect(job.status).toBe('finished');
    // Delivery is as before: the receiver gets its own URL and header back.
    const delivered = await waitFor(() => hook.received.find((r) => JSON.parse(r.body).id === id), 60_000, 'the webhook');
    expect(delivered.path).toBe(`/hook?secret=${querySecret}`);
    expect(delivered.headers.authorization).toBe(`Bearer ${bearer}`);

    const secrets = [querySecret, bearer, S3_TEST.secretAccessKey, S3_TEST.accessKeyId, 'enc:v1:'];
    const all = await readWholeTopic(kafka, TOPICS.jobStatusChanged);
    const ours = all.filter((m) => m.key === id);
    expect(ours.map((message) => JSON.parse(message.value).status)).toEqual(expect.arrayContaining(['queued', 'finished']));
    for (const message of all) for (const secret of secrets) expect(message.value.includes(secret)).toBe(false);
    for (const message of ours) {
      const event = JSON.parse(message.value);
      expect(event.webhook).toBeUndefined();
      expect(event.outputUrl).toBe(job.outputUrl);
    }
    const served = await download(JSON.parse(ours[ours.length - 1].value).outputUrl);
    expect(served.status).toBe(200);
    expect(served.bytes).toBeGreaterThan(10_000);

    // The notifier's own topic carries the target sealed: readable by nobody without the deployment key.
    const [request] = await readTopic(kafka, TOPICS.jobWebhookRequested, webhookFrom, (m) => m.key === id, 1, 10_000);
    expect(JSON.parse(request.value).webhook).toMatch(/^enc:v1:/);
    for (const secret of [querySecret, bearer, hook.url]) expect(request.value.includes(secret)).toBe(false);
  });

  it('keeps the secrets a producer sends in clear on join.requested off job.status-changed, and still delivers with them', async () => {
    const jobId = `clear-${randomUUID().slice(0, 12)}`;
    const querySecret = `kqs-${randomUUID()}`;
    const apiKey = `key-${randomUUID()}`;
    await publishJoin(
      {
        jobId,
        tenantId: owner.id,
        assets: clip(),
        upload: {
          provider: 's3',
          prefix: 'trust-kafka/',
          params: {
            endpoint: S3_TEST.endpoint,
            region: S3_TEST.region,
            bucket: bucket.bucket,
            accessKeyId: S3_TEST.accessKeyId,
            accessKeySecret: S3_TEST.secretAccessKey,
          },
        },
        webhook: { url: `${hook.url}/kafka-hook?secret=${querySecret}`, headers: { 'X-Api-Key': apiKey } },
      },
      jobId,
    );
    expect((await api.waitForEnd(jobId, 120_000)).status).toBe('finished');
    const delivered = await waitFor(() => hook.received.find((r) => JSON.parse(r.body).id === jobId), 60_000, 'the webhook');
    expect({ path: delivered.path, key: delivered.headers['x-api-key'] }).toEqual({ path: `/kafka-hook?secret=${querySecret}`, key: apiKey });

    const ours = (await readWholeTopic(kafka, TOPICS.jobStatusChanged)).filter((m) => m.key === jobId);
    // Its first and its last state, at least (a stitch that ends within a second reports no progress between).
    expect(ours.map((message) => JSON.parse(message.value).status)).toEqual(expect.arrayContaining(['queued', 'finished']));
    for (const message of ours) {
      for (const secret of [querySecret, apiKey, S3_TEST.secretAccessKey, S3_TEST.accessKeyId, 'kafka-hook', 'enc:v1:'])
        expect({ secret, found: message.value.includes(secret) }).toEqual({ secret, found: false });
    }
  });

  it('dead-letters a join.requested from an unknown tenant with the reason, and logs it with the job id', async () => {
    const from = await topicEnd(kafka, deadLetterTopic(TOPICS.joinRequested));
    const jobId = `stranger-${randomUUID().slice(0, 12)}`;
    await publishJoin({ jobId, tenantId: 'no-such-tenant', assets: clip() }, jobId);
    const [dead] = await readTopic(kafka, deadLetterTopic(TOPICS.joinRequested), from, (m) => m.key === jobId, 1, 60_000);
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/^tenantId: unknown tenant "no-such-tenant"/);
    expect(dead.headers[DLQ_HEADERS.sourceTopic]).toBe(TOPICS.joinRequested);
    const warning = orchestratorLog()
      .split('\n')
      .find((line) => line.includes(jobId) && line.includes('unknown tenant'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 'warn', jobId });
  });

  it("dead-letters a join.requested reusing another tenant's job id and leaves that job as it was", async () => {
    const created = await api.post('/jobs/join', { assets: clip() });
    const id = created.body.id as string;
    const before = await api.waitForEnd(id);
    expect(before.status).toBe('finished');
    const intruder = await createTenant('trust-intruder');
    const dlqFrom = await topicEnd(kafka, deadLetterTopic(TOPICS.joinRequested));
    const statusFrom = await topicEnd(kafka, TOPICS.jobStatusChanged);

    await publishJoin({ jobId: id, tenantId: intruder.id, assets: [{ type: 'video', src: media.url('video.mp4') }] }, id);
    const [dead] = await readTopic(kafka, deadLetterTopic(TOPICS.joinRequested), dlqFrom, (m) => m.key === id, 1, 60_000);
    expect(dead.headers[DLQ_HEADERS.reason]).toBe(`jobId: "${id}" is already the id of another tenant's job; choose another jobId`);
    expect(
      orchestratorLog()
        .split('\n')
        .some((line) => line.includes(id) && line.includes('another tenant')),
    ).toBe(true);

    expect((await api.get(`/jobs/${id}`)).body).toEqual(before);
    expect((await apiClient(intruder.token).get(`/jobs/${id}`)).status).toBe(404);
    await expect(readTopic(kafka, TOPICS.jobStatusChanged, statusFrom, (m) => m.key === id, 1, 3_000)).rejects.toThrow(/only 0\/1/);
  });

  it('accepts a job whose tenant reaches the orchestrator only after the request (the replica catches up)', async () => {
    const tenantId = `late-${randomUUID()}`;
    const jobId = `late-${randomUUID().slice(0, 12)}`;
    const statusFrom = await topicEnd(kafka, TOPICS.jobStatusChanged);
    await publishJoin({ jobId, tenantId, assets: clip() }, jobId);
    // The request is on its way first; the tenant's replication event follows a second later, as a slow gateway relay would.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await producer.send({
      topic: TOPICS.tenantChanged,
      messages: [
        { key: tenantId, value: JSON.stringify({ eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), tenantIds: [tenantId] }) },
      ],
    });
    const [finished] = await readTopic(
      kafka,
      TOPICS.jobStatusChanged,
      statusFrom,
      (m) => m.key === jobId && JSON.parse(m.value).status === 'finished',
      1,
      120_000,
    );
    expect(JSON.parse(finished.value).tenantId).toBe(tenantId);
  });

  it('takes a join without ids at an offset an earlier topic or cluster already used', async () => {
    // What a previous topic left in the inbox at the offset this record will get: the old key (offset
    // alone) and one of a record there an hour earlier. Neither may make this record a duplicate.
    const partition = 0;
    const offset = (await topicEnd(kafka, TOPICS.joinRequested)).get(partition)!;
    const timestamp = String(Date.now());
    const record = { topic: TOPICS.joinRequested, partition, offset, key: null, value: null, timestamp };
    await queryDatabase('vrs_orchestrator', 'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2), ($1, $3) ON CONFLICT DO NOTHING', [
      CONSUMER_GROUPS.orchestrator,
      messageRef(record),
      recordIdentity({ ...record, timestamp: String(Number(timestamp) - 3_600_000) }),
    ]);
    await producer.send({
      topic: TOPICS.joinRequested,
      messages: [{ partition, timestamp, key: null, value: JSON.stringify({ schemaVersion: 1, tenantId: owner.id, assets: clip() }) }],
    });
    // The job id of an id-less request is derived from the record, so the test knows it.
    const jobId = jobIdOfRecord(recordIdentity(record));
    expect((await api.waitForEnd(jobId, 120_000)).status).toBe('finished');
  });
});
