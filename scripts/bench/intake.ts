// Gateway intake benchmark: a batch of 1000 join jobs and a bulk cancel of 1000 jobs, through the
// gateway's own handlers against PostgreSQL (a database of its own, so nothing reaches Kafka),
// beside a bare multi-row INSERT of 1000 job rows on the same database as the floor, and the
// previous way (one transaction per job) for comparison. Run: npm run bench:intake
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { DataSource } from 'typeorm';
import { DEV_UPLOAD_SECRET_KEY } from '@vrs/contracts';
import type { OutboxRelay } from '@vrs/messaging';
import { dataSourceOptions, ensureDatabase, OutboxEvents, runMigrations, TransactionScope } from '@vrs/service-kit';
import { JobIntake } from '../../apps/gateway/src/application/job-intake';
import { TemplateChecks } from '../../apps/gateway/src/application/template-checks';
import { UploadSourceResolver } from '../../apps/gateway/src/application/upload-source-resolver';
import { CancelJobsHandler } from '../../apps/gateway/src/commands/cancel-jobs/cancel-jobs.handler';
import { CreateBatchHandler } from '../../apps/gateway/src/commands/create-batch/create-batch.handler';
import { UploadUrls } from '../../apps/gateway/src/domain/upload-urls';
import { SqlJobViews } from '../../apps/gateway/src/infrastructure/sql-job-views';
import { SqlTemplates } from '../../apps/gateway/src/infrastructure/sql-templates';
import { SqlUploadRecords } from '../../apps/gateway/src/infrastructure/sql-upload-records';
import { GATEWAY_MIGRATIONS } from '../../apps/gateway/src/migrations';

const JOBS = 1000;
const RUNS = 7;
const url = `${process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/vrs_gateway_bench`;

const joinBody = (n: number) => ({
  assets: [
    { type: 'video', src: `https://media.example/clip-${n}.mp4` },
    { type: 'video', src: `https://media.example/outro.mp4` },
  ],
});
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main() {
  await ensureDatabase(url);
  const db = new DataSource(dataSourceOptions({ url, entities: [], migrations: GATEWAY_MIGRATIONS }));
  await db.initialize();
  await runMigrations(db);
  // The gateway's handlers over their SQL adapters, wired as the gateway module does (no relay: nothing is published).
  const transactions = new TransactionScope(db);
  const views = new SqlJobViews(transactions);
  const outbox = new OutboxEvents(transactions, { wake: () => undefined } as unknown as OutboxRelay);
  const uploads = new UploadSourceResolver(new SqlUploadRecords(transactions), new UploadUrls('http://gw', 'http://gw', 'bench-only-output-url-secret'));
  const intake = new JobIntake(transactions, views, outbox, new TemplateChecks(new SqlTemplates(transactions)), uploads, {
    MAX_JOIN_ASSETS: 500,
    UPLOAD_SECRET_KEY: DEV_UPLOAD_SECRET_KEY,
  });
  const batches = new CreateBatchHandler(intake, transactions, views);
  const cancels = new CancelJobsHandler(transactions, views, outbox);
  const bodies = Array.from({ length: JOBS }, (_, n) => joinBody(n));
  const results = { baseline: [] as number[], batch: [] as number[], cancel: [] as number[], perJob: [] as number[] };

  for (let run = 0; run < RUNS; run++) {
    const tenant = { id: `bench-${randomUUID()}`, name: 'bench' };
    results.baseline.push(
      await timed(() =>
        db.transaction((manager) => {
          const values = bodies.map((_, n) => `($${n * 2 + 1}, $${n * 2 + 2}, 'join', 'queued', $${n * 2 + 1} || '.mp4', '{}', now(), now())`);
          return manager.query(
            `INSERT INTO job_views (id, tenant_id, type, status, output_key, stats, created_at, updated_at) VALUES ${values.join(', ')}`,
            bodies.flatMap(() => [randomUUID(), `${tenant.id}-floor`]),
          );
        }),
      ),
    );
    let created: Awaited<ReturnType<CreateBatchHandler['handle']>> | undefined;
    results.batch.push(
      await timed(async () => {
        created = await batches.handle(tenant, bodies);
      }),
    );
    const ids = created!.accepted.map((entry) => entry.prepared.job.id);
    results.cancel.push(await timed(() => cancels.cancel(tenant.id, ids)));
    if (run < 3) {
      results.perJob.push(
        await timed(async () => {
          for (const body of bodies) {
            const prepared = await intake.prepareJoin(tenant, body);
            await transactions.run(() => intake.record(tenant, [prepared]));
          }
        }),
      );
    }
    await db.query(`DELETE FROM job_log_lines WHERE job_id IN (SELECT id FROM job_views WHERE tenant_id LIKE $1)`, [`${tenant.id}%`]);
    await db.query(`DELETE FROM job_views WHERE tenant_id LIKE $1`, [`${tenant.id}%`]);
    await db.query('DELETE FROM batches WHERE tenant_id = $1', [tenant.id]);
    await db.query(`DELETE FROM outbox WHERE payload->>'tenantId' = $1`, [tenant.id]);
  }
  await db.destroy();

  console.log(`intake benchmark — ${new Date().toISOString()} — ${cpus().length} cores, node ${process.version}; medians of ${RUNS} runs (per-job: 3)`);
  console.log(`baseline: bare multi-row INSERT of ${JOBS} job rows  ${seconds(median(results.baseline))}`);
  console.log(
    `batch of ${JOBS} join jobs (validate, seal, bulk write, commit)  ${seconds(median(results.batch))}  (${(median(results.batch) / median(results.baseline)).toFixed(1)}x baseline)`,
  );
  console.log(`bulk cancel of ${JOBS} jobs  ${seconds(median(results.cancel))}  (${(median(results.cancel) / median(results.baseline)).toFixed(1)}x baseline)`);
  console.log(`previous way, one transaction per job  ${seconds(median(results.perJob))}`);
  console.log(`all runs (ms): ${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map(Math.round)])))}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
