import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEV_UPLOAD_SECRET_KEY } from '@vrs/contracts';
import type { OutboxRelay } from '@vrs/messaging';
import { OutboxEvents, TransactionScope } from '@vrs/service-kit';
import { testDataSource } from '@vrs/testing';
import { UploadUrls } from '../domain/upload-urls';
import { SqlJobViews } from '../infrastructure/sql-job-views';
import { SqlTemplates } from '../infrastructure/sql-templates';
import { SqlUploadRecords } from '../infrastructure/sql-upload-records';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { JobIntake } from './job-intake';
import { TemplateChecks } from './template-checks';
import { UploadSourceResolver } from './upload-source-resolver';

/** Single jobs submitted at the same moment share transactions (group commit), against real PostgreSQL. */
describe('JobIntake group commit', () => {
  let db: DataSource;
  let transactions: TransactionScope;
  let intake: JobIntake;
  const join = (n: number) => ({ assets: [{ type: 'video', src: `https://media.example/clip-${n}.mp4` }] });
  const tenant = () => ({ id: `t-${randomUUID()}`, name: 'group' });

  beforeAll(async () => {
    db = await testDataSource('vrs_gateway_intake_test', GATEWAY_MIGRATIONS);
    await db.query('TRUNCATE outbox, job_views, job_log_lines');
    // The gateway's wiring over this file's database (no relay: the events stay in the outbox to be counted).
    transactions = new TransactionScope(db);
    const outbox = new OutboxEvents(transactions, { wake: () => undefined } as unknown as OutboxRelay);
    const uploads = new UploadSourceResolver(new SqlUploadRecords(transactions), new UploadUrls('http://gw', 'http://gw', 'spec-only-output-url-secret'));
    intake = new JobIntake(transactions, new SqlJobViews(transactions), outbox, new TemplateChecks(new SqlTemplates(transactions)), uploads, {
      MAX_JOIN_ASSETS: 500,
      UPLOAD_SECRET_KEY: DEV_UPLOAD_SECRET_KEY,
    });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => db.destroy());

  const stored = async (ids: string[]) =>
    (
      await db.query(
        `SELECT (SELECT count(*) FROM job_views WHERE id = ANY($1))::int AS jobs,
            (SELECT count(*) FROM job_log_lines WHERE job_id = ANY($1))::int AS log_lines,
            (SELECT count(*) FROM outbox WHERE message_key = ANY($1))::int AS events`,
        [ids],
      )
    )[0];

  it('commits 60 concurrent jobs of several tenants in fewer transactions, each answered once it is stored', async () => {
    const opened = jest.spyOn(transactions, 'within');
    const tenants = [tenant(), tenant(), tenant()];
    const ids = await Promise.all(
      Array.from({ length: 60 }, async (_, n) => {
        const job = await intake.join(tenants[n % 3], join(n));
        // Visible to another connection the moment the caller hears of it.
        expect(await stored([job.id])).toEqual({ jobs: 1, log_lines: 1, events: 1 });
        return job.id;
      }),
    );
    expect(new Set(ids).size).toBe(60);
    expect(opened.mock.calls.length).toBeLessThan(10);
    const owners = await db.query('SELECT tenant_id, count(*)::int AS jobs FROM job_views WHERE id = ANY($1) GROUP BY tenant_id ORDER BY tenant_id', [ids]);
    expect(owners).toEqual(tenants.map((t) => ({ tenant_id: t.id, jobs: 20 })).sort((a, b) => a.tenant_id.localeCompare(b.tenant_id)));
  });

  it('fails only the job that cannot be written, not the others in its transaction', async () => {
    const owner = tenant();
    const first = await intake.prepareJoin(owner, join(0));
    // A prepared job whose id is already taken: its INSERT fails, and with it the group's first attempt.
    const prepare = intake.prepareJoin.bind(intake);
    let calls = 0;
    jest.spyOn(intake, 'prepareJoin').mockImplementation(async (t, body) => {
      const prepared = await prepare(t, body);
      return ++calls === 3 ? { ...prepared, job: { ...prepared.job, id: first.job.id } } : prepared;
    });
    await transactions.within(() => intake.record(owner, [first]));
    const opened = jest.spyOn(transactions, 'within');
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, n) => intake.join(owner, join(n))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
    // Jobs 1 and 2 went alone (two transactions may be open), 3–6 together; that one failed and each was retried alone.
    expect(opened.mock.calls.length).toBe(2 + 1 + 4);
    const ids = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.id] : []));
    expect(await stored(ids)).toEqual({ jobs: 5, log_lines: 5, events: 5 });
  });
});
