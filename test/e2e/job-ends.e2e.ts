import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { childJobId, deadLetterTopic, TERMINAL_STATUSES, TOPICS, workEventId } from '@vrs/contracts';
import { queryDatabase, readTopic, testKafka, topicEnd, waitFor } from '@vrs/testing';
import { dropNextMessage, logged, loggedFor, publishEvent, stopService, waitForLog } from '../support/lost-steps';
import { serveDirectory, startStallingSource, type MediaServer } from '../support/media-server';
import {
  addInstance,
  apiClient,
  createTenant,
  ensureServices,
  REPO_ROOT,
  restartServices,
  SAMPLE_MEDIA,
  stopInstance,
  type ApiClient,
  type TenantCredentials,
} from '../support/system';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const ORCHESTRATORS = ['job-orchestrator', 'job-orchestrator@3011'];
const greeting = {
  name: 'Greeting',
  driver: 'builtin',
  compositions: { main: { width: 160, height: 90, fps: 25, durationSec: 1, background: { color: '#203040' }, layers: [] } },
};
/** Deadlines of seconds (one clip: 13 s a try, three tries), checked twice a second. */
const SHORT_DEADLINES = {
  JOB_DEADLINE_STITCH_BASE_SEC: '12',
  JOB_DEADLINE_STITCH_PER_CLIP_SEC: '1',
  JOB_REDRIVE_LIMIT: '2',
  JOB_RECONCILE_INTERVAL_MS: '500',
};

describe('every job ends', () => {
  const kafka = testKafka();
  let producer: Producer;
  let media: MediaServer;
  let stalling: Awaited<ReturnType<typeof startStallingSource>>;
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
    stalling = await startStallingSource();
    hooks = await startWebhookReceiver();
    tenant = await createTenant('job-ends-e2e');
    api = apiClient(tenant.token);
    clip = { type: 'video', src: media.url('edts.mp4') };
  });
  afterAll(async () => {
    await producer.disconnect();
    await media.close();
    await stalling.close();
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
        jobId: id,
        tenantId: tenant.id,
        assets: [clip, { type: 'job', template: { id: template.body.id, composition: 'main' }, assets: [] }],
      });

      expect((await api.waitForEnd(id, 60_000)).status).toBe('manually_cancelled');
      expect((await api.waitForEnd(child, 60_000)).status).toBe('manually_cancelled');
      await publishEvent(producer, TOPICS.childFinished, child, { jobId: child, parentId: id, outputKey: `${child}.mp4`, durationSec: 1 });
      await waitForLog(['job-orchestrator'], child, 'child.finished for a job that has already ended ignored');
      expect((await jobOf(id)).status).toBe('manually_cancelled');
      await expect(readTopic(kafka, TOPICS.renderRequested, renderFrom, (m) => m.key === child, 1, 3_000)).rejects.toThrow(/only 0\/1/);
    });

    it("neither skips nor stops a job for a cancel in another tenant's name, before or during its work (each dead-lettered with the reason); its own tenant's cancel stops it", async () => {
      const id = newId();
      const other = `${tenant.id}-other`;
      const dlqFrom = await topicEnd(kafka, deadLetterTopic(TOPICS.jobCancelRequested));
      await publishEvent(producer, TOPICS.jobCancelRequested, id, { jobId: id, tenantId: other, reason: 'not yours' });
      await waitFor(
        async () => ((await queryDatabase('vrs_stitcher', 'SELECT 1 FROM cancelled_jobs WHERE job_id = $1', [id])).length ? true : undefined),
        30_000,
        'the stitcher to record the cancel',
      );
      // The second clip never arrives: the stitch runs until something stops it.
      await publishEvent(producer, TOPICS.joinRequested, id, { jobId: id, tenantId: tenant.id, assets: [clip, { type: 'video', src: stalling.url }] });
      await waitFor(async () => ((await jobOf(id)).status === 'render:dorender' ? true : undefined), 60_000, 'the stitch to run');

      await publishEvent(producer, TOPICS.jobCancelRequested, id, { jobId: id, tenantId: other, reason: 'still not yours' });
      // The stitcher refuses both (the first when the request came, the second at once), the orchestrator the one for a job it knows.
      const refused = await readTopic(kafka, deadLetterTopic(TOPICS.jobCancelRequested), dlqFrom, (m) => m.key === id, 3, 60_000);
      expect(refused.map((m) => m.headers['x-dlq-consumer'].replace(/^stitcher-cancel-.*/, 'stitcher')).sort()).toEqual([
        'job-orchestrator',
        'stitcher',
        'stitcher',
      ]);
      for (const m of refused)
        expect(m.headers['x-dlq-reason']).toBe(
          `tenantId: tenant "${other}" does not own job "${id}", so its cancel was not applied; a tenant cancels only its own jobs`,
        );
      expect((await jobOf(id)).status).toBe('render:dorender');
      expect(loggedFor('stitcher', id, /^(skipped|stopped): the job was cancelled$/)).toEqual([]);

      expect((await api.patch(`/jobs/${id}/cancel`)).status).toBe(202);
      expect((await api.waitForEnd(id, 60_000)).status).toBe('manually_cancelled');
      await waitForLog(['stitcher'], id, 'stopped: the job was cancelled');
    });

    it('renders a child whose render.requested came before its template: the template arrives while the render waits for it', async () => {
      const id = newId();
      const templateId = `late-${randomUUID().slice(0, 8)}`;
      const child = childJobId(id, 1);
      await publishEvent(producer, TOPICS.joinRequested, id, {
        jobId: id,
        tenantId: tenant.id,
        assets: [clip, { type: 'job', template: { id: templateId, composition: 'main' }, assets: [] }],
      });
      await waitForLog(['render-adapter'], child, 'template not replicated yet; waiting for it');
      // As the gateway publishes a new template; it must reach the replica while the render holds the main consumer.
      await publishEvent(producer, TOPICS.templateChanged, templateId, { tenantId: tenant.id, templateId, template: greeting });

      const job = await api.waitForEnd(id, 90_000);
      expect({ status: job.status, error: job.stats.error }).toEqual({ status: 'finished', error: null });
      expect((await jobOf(child)).status).toBe('finished');
    });

    it('ends every job when many clients submit jobs and all of them are cancelled at once (the reported case)', async () => {
      const ids = (
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            const mine: string[] = [];
            for (let i = 0; i < 5; i++) {
              const created = await api.post('/jobs/join', { assets: [clip] });
              expect(created.status).toBe(201);
              mine.push(created.body.id);
            }
            return mine;
          }),
        )
      ).flat();
      const cancelled = await api.post('/jobs/cancel', { jobs: ids });
      expect(cancelled.status).toBe(202);

      for (const id of ids) expect(TERMINAL_STATUSES).toContain((await api.waitForEnd(id, 120_000)).status);
      const stuck = await queryDatabase<{ id: string }>('vrs_orchestrator', 'SELECT id FROM jobs WHERE id = ANY($1) AND status <> ALL($2::text[])', [
        ids,
        TERMINAL_STATUSES,
      ]);
      expect(stuck).toEqual([]);
    });
  });

  describe('lost steps, with deadlines of seconds and two orchestrators', () => {
    beforeAll(async () => {
      // Both instances with the same settings: a job's deadline is set by the instance that saves it.
      await restartServices(['job-orchestrator'], SHORT_DEADLINES);
      await addInstance('job-orchestrator', 3011, SHORT_DEADLINES);
      for (const instance of ORCHESTRATORS) {
        expect(logged(instance, 'deadline reconciler started').at(-1)).toMatchObject({
          intervalMs: 500,
          limits: { stitchBaseSec: 12, stitchPerClipSec: 1, redriveLimit: 2 },
        });
      }
    });
    afterAll(async () => {
      await stopInstance('job-orchestrator', 3011);
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

    it('ends a job in error, with a reason, when the stitcher skips its request (it handled that request already and its report was lost)', async () => {
      const id = newId();
      // The job's stitch.requested as the orchestrator sends it (same event id every time), handled before the job existed:
      // its report finds no job. Every request the orchestrator then sends is a duplicate the stitcher's inbox skips.
      await publishEvent(producer, TOPICS.stitchRequested, id, {
        eventId: workEventId(id),
        jobId: id,
        tenantId: tenant.id,
        clips: [{ src: clip.src }],
        outputKey: `${id}.mp4`,
      });
      await waitFor(
        () => (ORCHESTRATORS.some((i) => loggedFor(i, id, 'stitch.completed for an unknown job ignored').length) ? true : undefined),
        60_000,
        'the early report to be ignored',
      );
      await publishEvent(producer, TOPICS.joinRequested, id, { jobId: id, tenantId: tenant.id, assets: [clip] });

      const job = await api.waitForEnd(id, 120_000);
      expect(job).toMatchObject({ status: 'error' });
      expect(job.stats.error).toBe('the stitch did not start within 13 s, asked for 3 time(s); the stitcher may be down or overloaded: submit the job again');
      expect(await redrivesOf(id)).toEqual([1, 2]);
      expect(ORCHESTRATORS.flatMap((instance) => loggedFor(instance, id, 'deadline passed: job ended in error'))).toHaveLength(1);
    });

    it("ends a job in error when the stitcher is down longer than the job may wait; back, the stitcher skips the job's request", async () => {
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
      // The stitcher was down when the orchestrator told it to stop. Back, it first records the cancels it missed
      // (its cancel log), so it skips the queued request instead of doing work nobody waits for.
      await waitForLog(['stitcher'], id, 'skipped: the job was cancelled');
      await expect(readTopic(kafka, TOPICS.stitchCompleted, completedFrom, (m) => m.key === id, 1, 5_000)).rejects.toThrow(/only 0\/1/);
      expect((await jobOf(id)).status).toBe('error');
    });
  });
});
