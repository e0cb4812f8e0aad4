import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { CONSUMER_GROUPS, deadLetterTopic, TERMINAL_STATUSES, TOPICS } from '@vrs/contracts';
import { DLQ_HEADERS, readConsumerLag } from '@vrs/messaging';
import { readTopic, testDatabaseUrl, testKafka, topicEnd, waitFor } from '@vrs/testing';
import { chaosPlan, seededRandom, summaryTable, type ChaosJob, type JobKind } from '../support/chaos-plan';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { strandedJobsReport } from '../support/stranded-jobs';
import {
  apiClient,
  createTenant,
  ensureServices,
  GATEWAY,
  killService,
  publishWithKcat,
  REPO_ROOT,
  restartBroker,
  restartPostgres,
  SAMPLE_MEDIA,
  SERVICE_NAMES,
  type ApiClient,
  type TenantCredentials,
} from '../support/system';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

/**
 * The chaos suite: jobs of every kind (joins, joins with a rendered clip, joins from Kafka, joins whose
 * cancel races them) while services are SIGKILLed at random moments, the broker and PostgreSQL are
 * restarted and malformed messages land on every topic. Then every job must have ended as it should,
 * with one output, one stitch and one webhook id each. `npm test` runs a small size; `npm run
 * test:chaos` the full one (CHAOS_JOBS, CHAOS_KILLS, CHAOS_SEED).
 */
const JOBS = Number(process.env.CHAOS_JOBS ?? 10);
const KILLS = Number(process.env.CHAOS_KILLS ?? 4);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 100_000);
const SERVICES = SERVICE_NAMES;
const END_TIMEOUT_MS = 300_000 + JOBS * 5_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe(`chaos: ${JOBS} jobs, ${KILLS} SIGKILLs, a broker and a PostgreSQL restart, malformed messages (seed ${SEED})`, () => {
  const kafka = testKafka();
  const random = seededRandom(SEED);
  let media: MediaServer;
  let hooks: WebhookReceiver;
  let tenant: TenantCredentials;
  let api: ApiClient;
  let templateId: string;

  /** Waits until the workers have no requests left from before (the broker outlives runs): these jobs must not queue behind them. */
  async function untilWorkersIdle(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          // Only the work requests: a group may keep offsets of a topic it no longer reads (render-adapter: template.changed).
          const lags = await Promise.all(
            [
              [CONSUMER_GROUPS.stitcher, TOPICS.stitchRequested],
              [CONSUMER_GROUPS.renderAdapter, TOPICS.renderRequested],
            ].map(async ([group, topic]) => (await readConsumerLag(admin, group)).filter((entry) => entry.topic === topic)),
          );
          return lags.flat().every(({ lag }) => lag === 0) ? true : undefined;
        },
        600_000,
        'the workers to finish the requests of earlier runs',
        2_000,
      );
    } finally {
      await admin.disconnect();
    }
  }

  beforeAll(async () => {
    await ensureServices();
    await untilWorkersIdle();
    media = await serveDirectory(SAMPLE_MEDIA);
    hooks = await startWebhookReceiver();
    tenant = await createTenant('chaos-e2e');
    api = apiClient(tenant.token);
    const template = await api.post('/templates', {
      name: 'chaos-card',
      driver: 'builtin',
      compositions: {
        card: { width: 320, height: 240, fps: 25, durationSec: 1, layers: [{ layerName: 'title', type: 'text', text: 'chaos', x: 'center', y: 'center' }] },
      },
    });
    expect(template.status).toBe(201);
    templateId = template.body.id;
  }, 840_000);

  afterAll(async () => {
    await ensureServices();
    await media?.close();
    await hooks?.close();
  }, 240_000);

  /** A client that retries what never reached the gateway (it was down), with one idempotency key per job. */
  async function submit(path: string, body: unknown): Promise<{ id: string }> {
    const key = randomUUID();
    return waitFor(
      async () => {
        try {
          const res = await fetch(`${GATEWAY}${path}`, {
            method: 'POST',
            body: JSON.stringify(body),
            headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json', 'idempotency-key': key },
          });
          if (res.status === 201) return (await res.json()) as { id: string };
          if (res.status === 503 || res.status === 429) return undefined;
          throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
        } catch (error) {
          if ((error as Error).message.startsWith('POST')) throw error;
          return undefined; // connection refused or reset: the gateway is restarting
        }
      },
      120_000,
      `POST ${path} to be accepted`,
      300,
    );
  }

  async function cancelSoon(id: string, delayMs: number): Promise<void> {
    await sleep(delayMs);
    await waitFor(
      async () => {
        try {
          const res = await fetch(`${GATEWAY}/jobs/cancel`, {
            method: 'POST',
            body: JSON.stringify({ jobs: [id] }),
            headers: { authorization: `Bearer ${tenant.token}`, 'content-type': 'application/json' },
          });
          return res.status === 202 ? true : undefined;
        } catch {
          return undefined;
        }
      },
      120_000,
      `the cancel of ${id} to be accepted`,
      300,
    );
  }

  function joinBody(kind: JobKind, n: number) {
    const clip = (name: string) => ({ type: 'video', src: media.url(name) });
    const rendered = {
      type: 'job',
      template: { id: templateId, composition: 'card' },
      assets: [{ type: 'data', layerName: 'title', property: 'Source Text', value: `job ${n}` }],
    };
    return {
      assets: kind === 'render-join' ? [clip('edts.mp4'), rendered, clip('video.mp4')] : [clip('video.mp4'), clip('edts.mp4')],
      webhook: { url: `${hooks.url}/hooks/${n}` },
    };
  }

  const publish = (topic: string, key: string, message: object) =>
    waitFor(
      () =>
        publishWithKcat(topic, key, JSON.stringify(message)).then(
          () => true,
          () => undefined,
        ),
      120_000,
      'the broker to take a message',
      500,
    );

  async function start(job: ChaosJob): Promise<void> {
    if (job.kind === 'kafka-join' || job.kind === 'cancel-first') {
      job.id = `chaos-${SEED}-${job.n}-${randomUUID().slice(0, 6)}`;
      if (job.kind === 'cancel-first') {
        await publish(TOPICS.jobCancelRequested, job.id, {
          eventId: randomUUID(),
          schemaVersion: 1,
          occurredAt: new Date().toISOString(),
          jobId: job.id,
          tenantId: tenant.id,
          reason: 'chaos: cancelled before it was sent',
        });
      }
      await publish(TOPICS.joinRequested, job.id, { schemaVersion: 1, tenantId: tenant.id, jobId: job.id, ...joinBody(job.kind, job.n) });
      return;
    }
    job.id = (await submit('/jobs/join', joinBody(job.kind, job.n))).id;
    if (job.kind === 'cancel-race') await cancelSoon(job.id, job.cancelAfterMs);
  }

  async function chaos(actions: string[]): Promise<void> {
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(500 + random() * 2500);
      const victim = SERVICES[Math.floor(random() * SERVICES.length)];
      await killService(victim).catch(() => undefined);
      await sleep(300 + random() * 2500);
      await ensureServices();
      actions.push(`SIGKILL ${victim}`);
      if (kill === Math.floor(KILLS / 3)) {
        await restartBroker(1_000);
        actions.push('broker restart');
      }
      if (kill === Math.floor((2 * KILLS) / 3)) {
        await restartPostgres();
        await ensureServices();
        actions.push('PostgreSQL restart');
      }
    }
  }

  async function publishMalformed(): Promise<Map<string, string>> {
    const sent = new Map<string, string>();
    for (const topic of Object.values(TOPICS)) {
      const key = `chaos-bad-${randomUUID().slice(0, 8)}`;
      await publishWithKcat(topic, key, random() < 0.5 ? '{"not json' : JSON.stringify({ schemaVersion: 1, surprise: true }));
      sent.set(topic, key);
    }
    return sent;
  }

  it(
    'ends every job as it should: one output, one stitch and one webhook id each, nothing left running',
    async () => {
      const stitchFrom = await topicEnd(kafka, TOPICS.stitchCompleted);
      const dlqFrom = new Map<string, Map<number, string>>(
        await Promise.all(Object.values(TOPICS).map(async (topic) => [topic, await topicEnd(kafka, deadLetterTopic(topic))] as const)),
      );
      const jobs = chaosPlan(JOBS, random);
      const actions: string[] = [];
      const startedAt = Date.now();

      const malformed = publishMalformed();
      const submitting = (async () => {
        for (const job of jobs) {
          await start(job);
          await sleep(random() * 400);
        }
      })();
      await Promise.all([submitting, chaos(actions), malformed]);
      await ensureServices();

      // Wait for every job to end, but collect what there is when time runs out: the table shows the stranded ones.
      await waitFor(
        async () => {
          for (const job of jobs.filter((j) => !j.final || !TERMINAL_STATUSES.includes(j.final.status as never)))
            job.final = (await api.get(`/jobs/${job.id}`)).body;
          return jobs.every((job) => TERMINAL_STATUSES.includes(job.final!.status as never)) ? true : undefined;
        },
        END_TIMEOUT_MS,
        'every job to end',
        1_000,
      ).catch(() => undefined);
      const elapsedSec = (Date.now() - startedAt) / 1000;

      // Every webhook arrives (at least once) for every job that ended; one id per job however often it came.
      const ended = jobs.filter((job) => TERMINAL_STATUSES.includes(job.final!.status as never));
      await waitFor(
        () => (ended.every((job) => hooks.received.some((hook) => hook.path === `/hooks/${job.n}`)) ? true : undefined),
        120_000,
        'a webhook for every job',
        500,
      ).catch(() => undefined);
      for (const job of jobs) {
        job.webhookIds = new Set(hooks.received.filter((hook) => hook.path === `/hooks/${job.n}`).map((hook) => String(hook.headers['x-webhook-id'])));
      }
      const finishedIds = jobs.filter((job) => job.final!.status === 'finished').map((job) => job.id!);
      // Each event once: the relay may send an event twice (it lost the database between the send and the
      // delete; consumers skip the copy by its id). A second stitch is a second event, with an id of its own.
      const eachStitchOnce = () => {
        const seen = new Set<string>();
        return (m: { key: string | null; value: string }) =>
          finishedIds.includes(m.key ?? '') && !seen.has(JSON.parse(m.value).eventId) && !!seen.add(JSON.parse(m.value).eventId);
      };
      const stitches = await readTopic(kafka, TOPICS.stitchCompleted, stitchFrom, eachStitchOnce(), finishedIds.length, 60_000);
      // Extra stitch.completed for the same job would show up here: read a little past the expected count.
      const extra = await readTopic(kafka, TOPICS.stitchCompleted, stitchFrom, eachStitchOnce(), finishedIds.length + 1, 3_000).catch(() => stitches);
      for (const job of jobs) job.stitches = extra.filter((m) => m.key === job.id).length;
      const outputs = readdirSync(join(REPO_ROOT, '.var/outputs'));
      for (const job of jobs) job.outputs = outputs.filter((name) => name.startsWith(job.id!)).length;

      const stranded = jobs.filter((job) => !TERMINAL_STATUSES.includes(job.final!.status as never)).map((job) => job.id!);
      console.log(
        `chaos run, seed ${SEED}, ${elapsedSec.toFixed(0)} s; actions: ${actions.join(', ')}\n${summaryTable(jobs)}\n` +
          (await strandedJobsReport(kafka, stranded, dlqFrom.get(TOPICS.joinRequested)!)),
      );

      expect(jobs.filter((job) => !TERMINAL_STATUSES.includes(job.final!.status as never)).map((job) => `${job.kind} ${job.id}: ${job.final!.status}`)).toEqual(
        [],
      );
      for (const job of jobs) {
        // A cancel sent before its job on Kafka may still reach the orchestrator second (another topic);
        // then it races the stitch like a cancel through the API.
        const expected = job.kind === 'cancel-race' || job.kind === 'cancel-first' ? ['manually_cancelled', 'finished'] : ['finished'];
        expect({ job: job.id, kind: job.kind, status: job.final!.status, error: job.final!.stats.error }).toEqual(
          expect.objectContaining({ status: expect.stringMatching(new RegExp(`^(${expected.join('|')})$`)) }),
        );
        expect({ job: job.id, webhookIds: job.webhookIds!.size }).toEqual({ job: job.id, webhookIds: 1 });
        if (job.final!.status === 'finished')
          expect({ job: job.id, outputs: job.outputs, stitches: job.stitches }).toEqual({ job: job.id, outputs: 1, stitches: 1 });
      }

      // Nothing is left non-terminal, in the read model or in the orchestrator's own table.
      const running = await api.get('/jobs?states=queued,pending,render:dorender&limit=1000');
      expect(running.body.jobs).toEqual([]);
      const db = new Client({ connectionString: testDatabaseUrl('vrs_orchestrator') });
      await db.connect();
      try {
        const { rows } = await db.query('SELECT id, status FROM jobs WHERE tenant_id = $1 AND NOT (status = ANY($2))', [tenant.id, TERMINAL_STATUSES]);
        expect(rows).toEqual([]);
      } finally {
        await db.end();
      }

      // Every malformed message reached its topic's dead-letter queue with a reason.
      for (const [topic, key] of await malformed) {
        const [dead] = await readTopic(kafka, deadLetterTopic(topic), dlqFrom.get(topic)!, (m) => m.key === key, 1, 60_000);
        expect(dead.headers[DLQ_HEADERS.reason]).toBeTruthy();
      }
    },
    END_TIMEOUT_MS + 600_000,
  );
});
