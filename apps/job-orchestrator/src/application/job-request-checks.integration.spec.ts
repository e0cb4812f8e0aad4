import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OutputUrls, uploadSecretKey } from '@vrs/contracts';
import { PermanentFailure } from '@vrs/messaging';
import { TransactionScope } from '@vrs/service-kit';
import { testDataSource } from '@vrs/testing';
import { ORCHESTRATOR_MIGRATIONS } from '../app.module';
import { freshJob } from '../domain/job';
import { JobEntity } from '../infrastructure/job.entity';
import { SqlJobStore } from '../infrastructure/sql-job-store';
import { SqlTenantReplica } from '../infrastructure/sql-tenant-replica';
import { TEST_LIMITS } from '../testing/orchestrator-harness';
import { JobRequestChecks } from './job-request-checks';

describe('job request checks (real Postgres)', () => {
  let dataSource: DataSource;
  let replica: SqlTenantReplica;
  const keys = { publicUrls: new OutputUrls('http://api.example', 'a-secret-of-16-chars'), sealKey: uploadSecretKey({}) };
  const never = new AbortController().signal;

  beforeAll(async () => {
    dataSource = await testDataSource('vrs_test_orchestrator_intake', ORCHESTRATOR_MIGRATIONS, [JobEntity]);
    replica = new SqlTenantReplica(new TransactionScope(dataSource));
  });
  afterAll(() => dataSource.destroy());

  const refusal = (work: Promise<unknown>) =>
    work.then(
      () => {
        throw new Error('not refused');
      },
      (error: Error) => error,
    );

  it('waits for a tenant whose replication arrives after the request, then lets it through', async () => {
    const tenantId = `t-${randomUUID()}`;
    const has = jest.spyOn(replica, 'has');
    // The replication event lands right after the first look missed it: the race forced, not hoped for.
    has.mockImplementationOnce(async (id) => {
      const found = await SqlTenantReplica.prototype.has.call(replica, id);
      await replica.apply([tenantId]);
      return found;
    });
    await new JobRequestChecks(replica, 30_000).requireTenant(tenantId, 'job-1', never);
    expect(has.mock.results.length).toBeGreaterThanOrEqual(2);
    await expect(has.mock.results[0].value).resolves.toBe(false);
    has.mockRestore();
  });

  it('refuses an unknown tenant after the bounded wait, naming the field, as a permanent failure', async () => {
    const error = await refusal(new JobRequestChecks(replica, 300).requireTenant('no-such-tenant', 'job-2', never));
    expect(error).toBeInstanceOf(PermanentFailure);
    expect(error.message).toBe('tenantId: unknown tenant "no-such-tenant" (still unknown after 300 ms); an operator creates tenants with POST /admin/tenants');
  });

  it('stops waiting at shutdown', async () => {
    const shutdown = new AbortController();
    const waiting = refusal(new JobRequestChecks(replica, 60_000).requireTenant('no-such-tenant', 'job-3', shutdown.signal));
    shutdown.abort();
    expect((await waiting).name).toBe('AbortError');
  });

  it('applies a tenant twice as once, and a bootstrap batch whole', async () => {
    const tenantId = `t-${randomUUID()}`;
    const batch = [tenantId, `t-${randomUUID()}`, `t-${randomUUID()}`];
    await replica.apply([tenantId]);
    await replica.apply(batch);
    expect(await dataSource.query('SELECT id FROM tenants WHERE id = ANY($1) ORDER BY id', [batch])).toEqual([...batch].sort().map((id) => ({ id })));
  });

  it("lets a repeat by the owner through and refuses another tenant's job id", async () => {
    const id = `job-${randomUUID().slice(0, 8)}`;
    const checks = new JobRequestChecks(replica, 0);
    await dataSource.transaction(async (manager) => {
      const store = new SqlJobStore(manager, TEST_LIMITS, keys);
      await store.insert(freshJob({ id, tenantId: 'owner', parentId: null, type: 'join', assets: [], render: null }, new Date()));
      await checks.requireOwnJob(store, id, 'owner');
      await checks.requireOwnJob(store, 'no-such-job', 'owner');
      const error = await refusal(checks.requireOwnJob(store, id, 'intruder'));
      expect(error).toBeInstanceOf(PermanentFailure);
      expect(error.message).toBe(`jobId: "${id}" is already the id of another tenant's job; choose another jobId`);
    });
    expect(await dataSource.query('SELECT tenant_id FROM jobs WHERE id = $1', [id])).toEqual([{ tenant_id: 'owner' }]);
  });
});
