import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { deadLetterTopic, TOPICS } from '@vrs/contracts';
import {
  CancellationWatcher,
  CancelledJobTenants1796120000000,
  createProducer,
  DLQ_HEADERS,
  ensureTopics,
  RunningJobs,
  type KafkaInbox,
  type UnitOfWork,
} from '@vrs/messaging';
import { CancellableWork, TransactionScope, WorkDirs } from '@vrs/service-kit';
import { readTopic, TEST_BROKERS, testDataSource, testKafka, topicEnd, waitFor } from '@vrs/testing';
import { CreateCancelledJobs1764300000300 } from '../migrations/1764300000300-create-cancelled-jobs';

const DLQ = deadLetterTopic(TOPICS.jobCancelRequested);
const newId = () => `cw-${randomUUID().slice(0, 12)}`;

// The stitcher's cancellation path as the service wires it, over the real broker and database: any producer can
// publish a cancel, so one naming a job of another tenant must neither skip nor stop that job's work.
describe('cancels reach a worker only from the tenant that owns the job (real Kafka + PostgreSQL)', () => {
  let kafka: Kafka;
  let producer: Producer;
  let db: DataSource;
  let watcher: CancellationWatcher;
  let longWork: CancellableWork;
  let root: string;
  const work: UnitOfWork = { transaction: (fn) => db.transaction(fn) };

  const publishCancel = (jobId: string, tenantId: string) =>
    producer.send({
      topic: TOPICS.jobCancelRequested,
      acks: -1,
      messages: [
        {
          key: jobId,
          value: JSON.stringify({ eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), jobId, tenantId, reason: 'test' }),
        },
      ],
    });
  const recorded = async (jobId: string) =>
    (await db.query('SELECT tenant_id FROM cancelled_jobs WHERE job_id = $1 ORDER BY tenant_id', [jobId])).map((row: { tenant_id: string }) => row.tenant_id);
  /** Publishes the cancel (again, until the watcher's new group has its partitions) until it is recorded. */
  const cancelBeforeRequest = (jobId: string, tenantId: string) =>
    waitFor(
      async () => {
        if ((await recorded(jobId)).includes(tenantId)) return true;
        await publishCancel(jobId, tenantId);
        return undefined;
      },
      60_000,
      `the cancel of ${jobId} to be recorded`,
      1_000,
    );
  const insertCancel = (jobId: string, hoursAgo: number) =>
    db.query(`INSERT INTO cancelled_jobs (job_id, tenant_id, cancelled_at) VALUES ($1, 'tenant-a', now() - $2 * interval '1 hour')`, [jobId, hoursAgo]);
  /** Expired before the watcher started: its purge at start-up forgets it. */
  const expiredAtStart = newId();
  const refusedCancels = (from: Map<number, string>, jobId: string) => readTopic(kafka, DLQ, from, (m) => m.key === jobId, 1, 30_000);

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka);
    producer = createProducer(kafka);
    await producer.connect();
    db = await testDataSource('vrs_stitcher_cancellations_spec', [CreateCancelledJobs1764300000300, CancelledJobTenants1796120000000]);
    await insertCancel(expiredAtStart, 169);
    const running = new RunningJobs();
    watcher = new CancellationWatcher(
      db,
      running,
      { kafka: { brokers: TEST_BROKERS }, clientId: `cancel-spec-${randomUUID().slice(0, 8)}`, consumerGroup: 'unused', outboxLockKey: 0 },
      producer,
    );
    await watcher.onApplicationBootstrap();
    await cancelBeforeRequest(newId(), 'tenant-warm-up'); // the watcher's group has its partitions
    root = await mkdtemp(join(tmpdir(), 'cancel-spec-'));
    const inbox = { shutdownSignal: new AbortController().signal } as KafkaInbox;
    longWork = new CancellableWork(inbox, running, watcher, new WorkDirs(root), new TransactionScope(db));
  }, 120_000); // a new cancel log reads the topic's history first
  afterAll(async () => {
    await watcher.onApplicationShutdown();
    await producer.disconnect();
    await db.destroy();
    await rm(root, { recursive: true, force: true });
  });

  it('forgets the expired cancels once at start-up, not only after its first hour', async () => {
    await waitFor(async () => (await recorded(expiredAtStart)).length === 0 || undefined, 10_000, 'the purge at start-up');
  });

  it("keeps running work going on another tenant's cancel (dead-lettered with the reason); its own tenant's cancel stops it", async () => {
    const id = newId();
    const from = await topicEnd(kafka, DLQ);
    let signal: AbortSignal | undefined;
    const outcomes: string[] = [];
    const performed = longWork.perform(id, 'tenant-a', work, {
      run: (context) =>
        new Promise((_, reject) => {
          signal = context.signal;
          context.signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
      succeeded: async () => outcomes.push('succeeded'),
      failed: async () => outcomes.push('failed'),
    });
    await waitFor(() => signal, 10_000, 'the work to start', 20);

    await publishCancel(id, 'tenant-b');
    const [refused] = await refusedCancels(from, id);
    expect(refused.headers[DLQ_HEADERS.reason]).toBe(
      `tenantId: tenant "tenant-b" does not own job "${id}", so its cancel was not applied; a tenant cancels only its own jobs`,
    );
    expect(JSON.parse(refused.value)).toMatchObject({ jobId: id, tenantId: 'tenant-b' });
    expect(signal!.aborted).toBe(false);

    await waitFor(
      async () => {
        if (signal!.aborted) return true;
        await publishCancel(id, 'tenant-a');
        return undefined;
      },
      30_000,
      "the owner's cancel to stop the work",
      1_000,
    );
    await performed;
    expect(outcomes).toEqual([]); // stopped: neither a result nor a failure is recorded
  });

  it('skips work cancelled while no instance of the service was running (its cancel log catches up first)', async () => {
    const id = newId();
    await publishCancel(id, 'tenant-a');
    // An instance starting now: its own group starts at the end of the topic, its cancel log where the service left off.
    // A service database of its own, so only this instance's cancel log can record it.
    const laterDb = await testDataSource('vrs_stitcher_cancellations_later_spec', [CreateCancelledJobs1764300000300, CancelledJobTenants1796120000000]);
    await laterDb.query('DELETE FROM cancelled_jobs');
    const later = new CancellationWatcher(
      laterDb,
      new RunningJobs(),
      { kafka: { brokers: TEST_BROKERS }, clientId: `cancel-spec-${randomUUID().slice(0, 8)}`, consumerGroup: 'unused', outboxLockKey: 0 },
      producer,
    );
    const starting = later.onApplicationBootstrap();
    try {
      expect(await later.isCancelled(id, 'tenant-a')).toBe(true);
    } finally {
      await starting;
      await later.onApplicationShutdown();
      await laterDb.destroy();
    }
  }, 120_000);

  it("does the work when only another tenant cancelled it before it came (that cancel then dead-lettered); skips it for its own tenant's cancel", async () => {
    const [foreign, own] = [newId(), newId()];
    const from = await topicEnd(kafka, DLQ);
    await cancelBeforeRequest(foreign, 'tenant-b');
    await cancelBeforeRequest(own, 'tenant-a');

    const ran: string[] = [];
    const job = (id: string) => ({
      run: async () => {
        ran.push(id);
      },
      succeeded: async () => undefined,
      failed: async () => undefined,
    });
    await longWork.perform(foreign, 'tenant-a', work, job(foreign));
    await longWork.perform(own, 'tenant-a', work, job(own));

    expect(ran).toEqual([foreign]);
    const [refused] = await refusedCancels(from, foreign);
    expect(refused.headers[DLQ_HEADERS.reason]).toMatch(/^tenantId: tenant "tenant-b" does not own job/);
    expect(await recorded(own)).toEqual(['tenant-a']);
  });

  it('forgets cancels older than their time to live (a week by default), and keeps the recent ones', async () => {
    const [old, recent] = [newId(), newId()];
    await insertCancel(old, 169);
    await insertCancel(recent, 167);
    expect(await watcher.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect([await recorded(old), await recorded(recent)]).toEqual([[], ['tenant-a']]);
  });
});
