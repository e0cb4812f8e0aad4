import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEV_UPLOAD_SECRET_KEY } from '@vrs/contracts';
import type { OutboxRelay } from '@vrs/messaging';
import { OutboxEvents, TransactionScope } from '@vrs/service-kit';
import { testDataSource } from '@vrs/testing';
import { JobIntake, type PreparedJob } from '../../application/job-intake';
import { TemplateChecks } from '../../application/template-checks';
import { UploadSourceResolver } from '../../application/upload-source-resolver';
import { UploadUrls } from '../../domain/upload-urls';
import { SqlJobViews } from '../../infrastructure/sql-job-views';
import { SqlTemplates } from '../../infrastructure/sql-templates';
import { SqlUploadRecords } from '../../infrastructure/sql-upload-records';
import { GATEWAY_MIGRATIONS } from '../../migrations';
import { CreateBatchHandler } from './create-batch.handler';

/** A batch is written in one transaction: a failure after half of it leaves nothing (real PostgreSQL). */
describe('CreateBatchHandler against PostgreSQL', () => {
  let db: DataSource;
  let intake: JobIntake;
  let handler: CreateBatchHandler;
  const config = { MAX_JOIN_ASSETS: 500, UPLOAD_SECRET_KEY: DEV_UPLOAD_SECRET_KEY };
  const join = (n: number) => ({ assets: [{ type: 'video', src: `https://media.example/clip-${n}.mp4` }] });
  const entries = (count: number) => Array.from({ length: count }, (_, n) => (n === 3 ? { assets: [] } : join(n)));

  beforeAll(async () => {
    db = await testDataSource('vrs_gateway_batch_test', GATEWAY_MIGRATIONS);
    // This file's own database: start empty so earlier runs' rows do not pile up.
    await db.query('TRUNCATE outbox, job_views, job_log_lines, batches');
    // The gateway's wiring over this file's database (no relay: the events stay in the outbox to be counted).
    const transactions = new TransactionScope(db);
    const views = new SqlJobViews(transactions);
    const outbox = new OutboxEvents(transactions, { wake: () => undefined } as unknown as OutboxRelay);
    const uploads = new UploadSourceResolver(new SqlUploadRecords(transactions), new UploadUrls('http://gw', 'http://gw', 'spec-only-output-url-secret'));
    intake = new JobIntake(transactions, views, outbox, new TemplateChecks(new SqlTemplates(transactions)), uploads, config);
    handler = new CreateBatchHandler(intake, transactions, views);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => db.destroy());

  async function leftovers(tenantId: string) {
    const [row] = await db.query(
      `SELECT (SELECT count(*) FROM batches WHERE tenant_id = $1)::int AS batches,
              (SELECT count(*) FROM job_views WHERE tenant_id = $1)::int AS jobs,
              (SELECT count(*) FROM job_log_lines l JOIN job_views v ON v.id = l.job_id WHERE v.tenant_id = $1)::int AS log_lines,
              (SELECT count(*) FROM outbox WHERE payload->>'tenantId' = $1)::int AS events`,
      [tenantId],
    );
    return row;
  }

  /** Lets every entry be prepared for real, then spoils the one at `index` with `spoil`. */
  function spoilEntry(index: number, spoil: (prepared: PreparedJob, first: PreparedJob) => PreparedJob) {
    const prepare = intake.prepareJoin.bind(intake);
    const prepared: PreparedJob[] = [];
    jest.spyOn(intake, 'prepareJoin').mockImplementation(async (tenant, body) => {
      const job = await prepare(tenant, body);
      prepared.push(job);
      return prepared.length - 1 === index ? spoil(job, prepared[0]) : job;
    });
  }

  it('commits the batch, every valid job and its event together, events in entry order, and reports the invalid entry', async () => {
    const tenant = { id: `t-${randomUUID()}`, name: 'ok' };
    const created = await handler.handle(tenant, entries(1000));
    expect(created.errors.map((e) => [e.index, e.errorCode])).toEqual([[3, 'invalid_job']]);
    expect(created.accepted).toHaveLength(999);
    expect(await leftovers(tenant.id)).toEqual({ batches: 1, jobs: 999, log_lines: 999, events: 999 });
    const keys = await db.query(`SELECT message_key FROM outbox WHERE payload->>'tenantId' = $1 ORDER BY id`, [tenant.id]);
    expect(keys.map((row: { message_key: string }) => row.message_key)).toEqual(created.accepted.map((entry) => entry.prepared.job.id));
    const [batchJobs] = await db.query('SELECT count(*)::int AS n FROM job_views WHERE batch_id = $1', [created.batchId]);
    expect(batchJobs.n).toBe(999);
  });

  it('leaves nothing of the batch when a job row fails half way (a duplicate id: primary-key violation)', async () => {
    const tenant = { id: `t-${randomUUID()}`, name: 'dup' };
    spoilEntry(500, (job, first) => ({ ...job, job: { ...job.job, id: first.job.id } }));
    await expect(handler.handle(tenant, entries(1000))).rejects.toThrow(/duplicate key/);
    expect(await leftovers(tenant.id)).toEqual({ batches: 0, jobs: 0, log_lines: 0, events: 0 });
  });

  it('leaves nothing of the batch when an event fails after every job row was written', async () => {
    const tenant = { id: `t-${randomUUID()}`, name: 'bad-event' };
    spoilEntry(500, (job) => ({ ...job, event: { ...job.event, body: { ...job.event.body, assets: 'not a list' } } as PreparedJob['event'] }));
    await expect(handler.handle(tenant, entries(1000))).rejects.toThrow(/refusing to publish an invalid join.requested event/);
    expect(await leftovers(tenant.id)).toEqual({ batches: 0, jobs: 0, log_lines: 0, events: 0 });
  });
});
