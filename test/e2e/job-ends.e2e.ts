import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { childJobId, TERMINAL_STATUSES, TOPICS } from '@vrs/contracts';
import { queryDatabase, readTopic, testKafka, topicEnd, waitFor } from '@vrs/testing';
import {
  addInstance, apiClient, createTenant, ensureServices, REPO_ROOT, restartServices, SAMPLE_MEDIA, stopInstance, type ApiClient, type TenantCredentials,
} from '../support/system';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { dropNextMessage, loggedFor, publishEvent, stopService, waitForLog } from '../support/lost-steps';

const ORCHESTRATORS = ['job-orchestrator', 'job-orchestrator@3011'];
const greeting = {
  name: 'Greeting', driver: 'builtin',
  compositions: { main: { width: 160, height: 90, fps: 25, durationSec: 1, background: { color: '#203040' }, layers: [] } },
};
/** Deadlines of seconds (one clip: 13 s a try, three tries), checked twice a second. */
const SHORT_DEADLINES = {
  JOB_DEADLINE_STITCH_BASE_SEC: '12', JOB_DEADLINE_STITCH_PER_CLIP_SEC: '1', JOB_REDRIVE_LIMIT: '2', JOB_RECONCILE_INTERVAL_MS: '500',
};

describe('every job ends', () => {
  const kafka = testKafka();
  let producer: Producer;
  let media: MediaServer;
  let hooks: WebhookReceiver;
  let tenant: TenantCredentials;
  let api: ApiClient;
  let clip: { type: 'video'; src: string };
  const newId = () => `ends-${randomUUID().slice(0, 12)}`;
  const jobOf = async (id: string) => (await api.get(`/jobs/${id}`)).body;

  beforeAll(async () => {
    await ensureServices();
    producer = kafka.producer();
    await producer.connect();
    media = await serveDirectory(SAMPLE_MEDIA);
    hooks = await startWebhookReceiver();
    tenant = await createTenant('job-ends-e2e');
    api = apiClient(tenant.token);
    clip = { type: 'video', src: media.url('edts.mp4') };
  });
  afterAll(async () => {
    await producer.disconnect();
    await media.close();
    await hooks.close();
  });

  describe('events in the bad order', () => {
    it('starts a job cancelled when its cancel reached the broker before its join.requested, and the gateway and webhook see it', async () => {
      const id = newId();
      const stitchFrom = await topicEnd(kafka, TOPICS.stitchRequested);
      await publishEvent(producer, TOPICS.jobCancelRequested, id, { jobId: id, tenantId: tenant.id, reason: 'cancelled before it was sent' });
      await waitForLog(['job-orchestrator'], id, 'cancel request for a job not known yet: it starts cancelled when it arrives');
      await publishEvent(producer, TOPICS.joinRequested, id, { jobId: id, tenantId: tenant.id, assets: [clip], webhook: { url: `${hooks.url}/${id}` } });

      const job = await api.waitForEnd(id, 60_000);
      expect(job.status).toBe('manually_cancelled');
      const hook = await waitFor(() => hooks.received.find((h) => h.path === `/${id}`), 60_000, `the webhook for ${id}`);
      expect(JSON.parse(hook.body)).toMatchObject({ status: 'manually_cancelled' });
      await expect(readTopic(kafka, TOPICS.stitchRequested, stitchFrom, (m) => m.key === id, 1, 3_000)).rejects.toThrow(/only 0\/1/);
    });

    it('keeps a cancelled job cancelled when a stitch.completed and a stitch.progress for it come afterwards', async () => {
      const id = newId();
      await publishEvent(producer, TOPICS.jobCancelRequested, id, { jobId: id, tenantId: tenant.id, reason: 'changed my mind' });
      await waitForLog(['job-orchestrator'], id, /not known yet/);
      await publishEvent(producer, TOPICS.joinRequested, id, { jobId: id, tenantId: tenant.id, assets: [clip] });
      expect((await api.waitForEnd(id, 60_000)).status).toBe('manually_cancelled');

      await publishEvent(producer, TOPICS.stitchProgress, id, { jobId: id, phase: 'join', fraction: 0.5 });
      await publishEvent(producer, TOPICS.stitchCompleted, id, { jobId: id, outputKey: `${id}.mp4`, durationSec: 1, sizeBytes: 100 });
      await waitForLog(['job-orchestrator'], id, 'stitch.completed for a job that has already ended ignored');
      expect(await jobOf(id)).toMatchObject({ status: 'manually_cancelled', progress: 0 });
    });

    it('starts a whole family cancelled when the cancel named a child that did not exist yet; a late child report changes nothing', async () => {
      const template = await api.post('/templates', greeting);
      expect(template.status).toBe(201);
      const id = newId();
      const child = childJobId(id, 1);
      const renderFrom = await topicEnd(kafka, TOPICS.renderRequested);
      await publishEvent(producer, TOPICS.jobCancelRequested, child, { jobId: child, tenantId: tenant.id, reason: 'not wanted' });
      await waitForLog(['job-orchestrator'], child, /not known yet/);
      await publishEvent(producer, TOPICS.joinRequested, id, {
        jobId: id, tenantId: tenant.id, assets: [clip, { type: 'job', template: { id: template.body.id, composition: 'main' }, assets: [] }],
      });

      expect((await api.waitForEnd(id, 60_000)).status).toBe('manually_cancelled');
      expect((await api.waitForEnd(child, 60_000)).status).toBe('manually_cancelled');
      await publishEvent(producer, TOPICS.childFinished, child, { jobId: child, parentId: id, outputKey: `${child}.mp4`, durationSec: 1 });
      await waitForLog(['job-orchestrator'], child, 'child.finished for a job that has already ended ignored');
      expect((await jobOf(id)).status).toBe('manually_cancelled');
      await expect(readTopic(kafka, TOPICS.renderRequested, renderFrom, (m) => m.key === child, 1, 3_000)).rejects.toThrow(/only 0\/1/);
    });

    it('ends every job when many clients submit jobs and all of them are cancelled at once (the reported case)', async () => {
      const ids = (await Promise.all(Array.from({ length: 8 }, async () => {
        const mine: string[] = [];
        for (let i = 0; i < 5; i++) {
          const created = await api.post('/jobs/join', { assets: [clip] });
          expect(created.status).toBe(201);
          mine.push(created.body.id);
        }
        return mine;
      }))).flat();
      const cancelled = await api.post('/jobs/cancel', { jobs: ids });
      expect(cancelled.status).toBe(202);

      for (const id of ids) expect(TERMINAL_STATUSES).toContain((await api.waitForEnd(id, 120_000)).status);
      const stuck = await queryDatabase<{ id: string }>('vrs_orchestrator', 'SELECT id FROM jobs WHERE id = ANY($1) AND status <> ALL($2::text[])', [ids, TERMINAL_STATUSES]);
      expect(stuck).toEqual([]);
    });
  });

  describe('lost steps, with deadlines of seconds and two orchestrators', () => {
    beforeAll(async () => {
      await restartServices(['job-orchestrator'], SHORT_DEADLINES);
      Object.assign(process.env, SHORT_DEADLINES);
      await addInstance('job-orchestrator', 3011);
    });
    afterAll(async () => {
      await stopInstance('job-orchestrator', 3011);
      for (const name of Object.keys(SHORT_DEADLINES)) delete process.env[name];
      await restartServices(['job-orchestrator']);
      await ensureServices();
    });

    /** The numbers of the job's re-drives, from its log ("… asked for it again (n of 2)"), one line per status event. */
    async function redrivesOf(id: string): Promise<number[]> {
      const { body } = await api.get(`/jobs/${id}/logs`);
      return [...String(body).matchAll(/asked for it again \((\d+) of 2\)/g)].map((m) => Number(m[1]));
    }

    it('asks again for a stitch.requested that was taken off the broker and dropped, and the job finishes with one output', async () => {
      const stitchFrom = await topicEnd(kafka, TOPICS.stitchRequested);
      const completedFrom = await topicEnd(kafka, TOPICS.stitchCompleted);
      await stopService('stitcher');
      let id = '';
      try {
        const created = await api.post('/jobs/join', { assets: [clip] });
        expect(created.status).toBe(201);
        id = created.body.id;
        const dropped = JSON.parse(await dropNextMessage(kafka, 'stitcher', TOPICS.stitchRequested, id));
        expect(dropped.jobId).toBe(id);
      } finally {
        await ensureServices();
      }

      const job = await api.waitForEnd(id, 120_000);
      expect(job.status).toBe('finished');
      const requests = await readTopic(kafka, TOPICS.stitchRequested, stitchFrom, (m) => m.key === id, 2, 10_000);
      expect(new Set(requests.map((m) => JSON.parse(m.value).eventId)).size).toBe(1);
      const completed = await readTopic(kafka, TOPICS.stitchCompleted, completedFrom, (m) => m.key === id, 1, 10_000);
      expect(completed).toHaveLength(1);
      await expect(readTopic(kafka, TOPICS.stitchCompleted, completedFrom, (m) => m.key === id, 2, 3_000)).rejects.toThrow(/only 1\/2/);
      expect(readdirSync(join(REPO_ROOT, '.var/outputs')).filter((name) => name.startsWith(id))).toEqual([`${id}.mp4`]);
      // Two reconcilers ran: each re-drive happened once, and each sent the request once more.
      const redrives = await redrivesOf(id);
      expect(redrives.length).toBeGreaterThan(0);
      expect(redrives).toEqual(redrives.map((_, i) => i + 1));
      await expect(readTopic(kafka, TOPICS.stitchRequested, stitchFrom, (m) => m.key === id, redrives.length + 2, 3_000)).rejects.toThrow(/only/);
    });

    it('ends a job in error, with a reason, when the stitcher skips it (it saw a cancel the orchestrator did not take)', async () => {
      const id = newId();
      // A cancel in another tenant's name: the orchestrator keeps it to that tenant, the stitcher records it for the id.
      await publishEvent(producer, TOPICS.jobCancelRequested, id, { jobId: id, tenantId: `${tenant.id}-other`, reason: 'not yours' });
      await waitFor(async () => ((await queryDatabase('vrs_stitcher', 'SELECT 1 FROM cancelled_jobs WHERE job_id = $1', [id])).length ? true : undefined), 30_000, 'the stitcher to record the cancel');
      await publishEvent(producer, TOPICS.joinRequested, id, { jobId: id, tenantId: tenant.id, assets: [clip] });

      const job = await api.waitForEnd(id, 120_000);
      expect(job).toMatchObject({ status: 'error' });
      expect(job.stats.error).toBe('the stitch did not start within 13 s, asked for 3 time(s); the stitcher may be down or overloaded: submit the job again');
      expect(ORCHESTRATORS.flatMap((instance) => loggedFor(instance, id, 'deadline passed: job ended in error'))).toHaveLength(1);
    });

    it('ends a job in error when the stitcher is down longer than the job may wait, and its late stitch does not revive it', async () => {
      const completedFrom = await topicEnd(kafka, TOPICS.stitchCompleted);
      await stopService('stitcher');
      let id = '';
      try {
        const created = await api.post('/jobs/join', { assets: [clip] });
        id = created.body.id;
        const job = await api.waitForEnd(id, 120_000);
        expect(job.status).toBe('error');
        expect(job.stats.error).toMatch(/^the stitch did not start within 13 s, asked for 3 time\(s\)/);
        expect(await redrivesOf(id)).toEqual([1, 2]);
      } finally {
        await ensureServices();
      }
      // The stitcher was down when the orchestrator told it to stop: it stitches the request once (one event id) and is ignored.
      await readTopic(kafka, TOPICS.stitchCompleted, completedFrom, (m) => m.key === id, 1, 60_000);
      await waitFor(() => (ORCHESTRATORS.some((i) => loggedFor(i, id, 'stitch.completed for a job that has already ended ignored').length) ? true : undefined), 30_000, 'the late stitch to be ignored');
      expect((await jobOf(id)).status).toBe('error');
      await expect(readTopic(kafka, TOPICS.stitchCompleted, completedFrom, (m) => m.key === id, 2, 3_000)).rejects.toThrow(/only 1\/2/);
    });
  });
});
