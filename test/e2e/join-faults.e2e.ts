import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deadLetterTopic, TOPICS } from '@vrs/contracts';
import { DLQ_HEADERS } from '@vrs/messaging';
import { readTopic, testKafka, topicEnd, waitFor } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import {
  apiClient,
  createTenant,
  ensureServices,
  killService,
  publishWithKcat,
  REPO_ROOT,
  SAMPLE_MEDIA,
  type ApiClient,
  type TenantCredentials,
} from '../support/system';

const run = promisify(execFile);
const CLIPS = ['video.mp4', 'sar_2x1.mp4', 'frames.webm', 'edts.mp4'];

describe('join path under faults', () => {
  const kafka = testKafka();
  let media: MediaServer;
  let tenant: TenantCredentials;
  let api: ApiClient;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    tenant = await createTenant('faults-e2e');
    api = apiClient(tenant.token);
  });
  afterAll(async () => {
    await ensureServices();
    await media.close();
  });

  it('finishes a job, with exactly one output, when the stitcher is SIGKILLed mid-stitch and restarted', async () => {
    const from = await topicEnd(kafka, TOPICS.jobStatusChanged);
    const assets = Array.from({ length: 12 }, (_, i) => ({ type: 'video', src: media.url(CLIPS[i % 4]) }));
    const created = await api.post('/jobs/join', { assets });
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    await waitFor(
      async () => {
        const { body } = await api.get(`/jobs/${id}`);
        return body.status === 'render:dorender' && body.progress >= 30 ? true : undefined;
      },
      60_000,
      'the stitch to be under way',
      100,
    );
    await killService('stitcher');
    expect((await api.get(`/jobs/${id}`)).body.status).toBe('render:dorender');
    await ensureServices();

    const job = await api.waitForEnd(id, 180_000);
    expect(job.status).toBe('finished');
    const outputs = readdirSync(join(REPO_ROOT, '.var/outputs')).filter((name) => name.startsWith(id));
    expect(outputs).toEqual([`${id}.mp4`]);
    const finishedEvents = await readTopic(kafka, TOPICS.jobStatusChanged, from, (m) => m.key === id && JSON.parse(m.value).status === 'finished', 1, 10_000);
    expect(finishedEvents).toHaveLength(1);
    const workRoot = join(REPO_ROOT, '.var/work/stitcher');
    const workLeft = readdirSync(workRoot)
      .flatMap((instance) => readdirSync(join(workRoot, instance)))
      .filter((name) => name.startsWith(id));
    expect(workLeft).toEqual([]);
  });

  it('loses no job and stitches each once when the gateway and the orchestrator are SIGKILLed with jobs in flight', async () => {
    const statusFrom = await topicEnd(kafka, TOPICS.jobStatusChanged);
    const stitchFrom = await topicEnd(kafka, TOPICS.stitchCompleted);
    const ids: string[] = [];
    for (const name of [...CLIPS, ...CLIPS]) {
      const created = await api.post('/jobs/join', {
        assets: [
          { type: 'video', src: media.url(name) },
          { type: 'video', src: media.url('edts.mp4') },
        ],
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    await Promise.all([killService('job-orchestrator'), killService('gateway')]);
    await ensureServices();

    for (const id of ids) expect((await api.waitForEnd(id, 180_000)).status).toBe('finished');
    const finished = await readTopic(
      kafka,
      TOPICS.jobStatusChanged,
      statusFrom,
      (m) => ids.includes(m.key ?? '') && JSON.parse(m.value).status === 'finished',
      ids.length,
      30_000,
    );
    expect(new Set(finished.map((m) => m.key)).size).toBe(ids.length);
    const completed = await readTopic(kafka, TOPICS.stitchCompleted, stitchFrom, (m) => ids.includes(m.key ?? ''), ids.length, 30_000);
    expect(completed.map((m) => m.key).sort()).toEqual([...ids].sort());
    await expect(readTopic(kafka, TOPICS.stitchCompleted, stitchFrom, (m) => ids.includes(m.key ?? ''), ids.length + 1, 3_000)).rejects.toThrow(
      /only \d+\/\d+/,
    );
  });

  it('accepts jobs while the broker is down and finishes them once it is back (outbox)', async () => {
    await run('bash', [join(REPO_ROOT, 'scripts/infra/kafka.sh'), 'stop'], { timeout: 60_000 });
    try {
      const created = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('edts.mp4') }] });
      expect(created.status).toBe(201);
      expect((await api.get(`/jobs/${created.body.id}`)).body.status).toBe('queued');
      await run('bash', [join(REPO_ROOT, 'scripts/infra/kafka.sh'), 'start'], { timeout: 120_000 });
      expect((await api.waitForEnd(created.body.id, 180_000)).status).toBe('finished');
    } finally {
      await run('bash', [join(REPO_ROOT, 'scripts/infra/kafka.sh'), 'start'], { timeout: 120_000 });
      await ensureServices(); // the next scenarios start from healthy services, not mid-recovery
    }
  });

  it('dead-letters a malformed join.requested from a foreign client with the reason and keeps consuming', async () => {
    const from = await topicEnd(kafka, deadLetterTopic(TOPICS.joinRequested));
    const marker = `bad-${randomUUID()}`;
    await publishWithKcat(TOPICS.joinRequested, marker, '{"schemaVersion": 1, "tenantId": "x", "assets": "not a list"');
    await publishWithKcat(TOPICS.joinRequested, marker, JSON.stringify({ schemaVersion: 1, tenantId: tenant.id, assets: [] }));

    const jobId = `kcat-${randomUUID().slice(0, 12)}`;
    const valid = JSON.stringify({ schemaVersion: 1, jobId, tenantId: tenant.id, assets: [{ type: 'video', src: media.url('video.mp4') }] });
    await publishWithKcat(TOPICS.joinRequested, jobId, valid);

    const dead = await readTopic(kafka, deadLetterTopic(TOPICS.joinRequested), from, (m) => m.key === marker, 2);
    expect(dead[0].headers[DLQ_HEADERS.reason]).toMatch(/not valid JSON/);
    expect(dead[1].headers[DLQ_HEADERS.reason]).toMatch(/assets: needs at least one clip/);
    expect(dead[1].headers[DLQ_HEADERS.sourceTopic]).toBe(TOPICS.joinRequested);

    const job = await waitFor(
      async () => {
        const { status, body } = await api.get(`/jobs/${jobId}`);
        return status === 200 && body.status === 'finished' ? body : undefined;
      },
      120_000,
      `job ${jobId} from Kafka to finish`,
      250,
    );
    expect(job.type).toBe('join');
  });

  it('treats the same producer-supplied job id twice as one job', async () => {
    const from = await topicEnd(kafka, TOPICS.stitchRequested);
    const jobId = `dup-${randomUUID().slice(0, 12)}`;
    const message = JSON.stringify({ schemaVersion: 1, jobId, tenantId: tenant.id, assets: [{ type: 'video', src: media.url('edts.mp4') }] });
    await publishWithKcat(TOPICS.joinRequested, jobId, message);
    await publishWithKcat(TOPICS.joinRequested, jobId, message);
    const job = await waitFor(
      async () => {
        const { body } = await api.get(`/jobs/${jobId}`);
        return body?.status === 'finished' ? body : undefined;
      },
      120_000,
      `job ${jobId} to finish`,
      250,
    );
    expect(job.id).toBe(jobId);
    const stitchRequests = await readTopic(kafka, TOPICS.stitchRequested, from, (m) => m.key === jobId, 1, 10_000);
    expect(stitchRequests).toHaveLength(1);
    await expect(readTopic(kafka, TOPICS.stitchRequested, from, (m) => m.key === jobId, 2, 3_000)).rejects.toThrow(/only 1\/2/);
  });
});
