import type { DataSource, EntityManager } from 'typeorm';
import { testDataSource } from '@vrs/testing';
import { ORCHESTRATOR_MIGRATIONS } from '../app.module';
import { TEST_LIMITS } from '../testing/orchestrator-harness';
import { JobEntity } from './job.entity';
import { SqlJobStore } from './sql-job-store';

/** Every plan node of an EXPLAIN (FORMAT JSON), flattened. */
function planNodes(node: { Plans?: unknown[] } & Record<string, unknown>): Array<Record<string, unknown>> {
  return [node, ...((node.Plans ?? []) as Array<typeof node>).flatMap(planNodes)];
}

describe('SqlJobStore families (real PostgreSQL)', () => {
  let db: DataSource;
  const family = ['fam', 'fam-0', 'fam-0-0', 'fam-1'];
  const insertJobs = (select: string) =>
    db.query(
      `INSERT INTO jobs (id, tenant_id, parent_id, type, status, progress, sequence, output_key, assets, created_at, updated_at)
       SELECT id, 't1', parent_id, 'join', 'queued', 0, 0, id || '.mp4', '[]', now(), now() FROM (${select}) AS rows (id, parent_id)`,
    );

  beforeAll(async () => {
    db = await testDataSource('vrs_orchestrator_family_test', ORCHESTRATOR_MIGRATIONS, [JobEntity]);
    await db.query('DELETE FROM jobs');
    // A table that keeps many jobs, as a running deployment's does, and one family among them.
    await insertJobs(`SELECT 'bulk-' || n AS id, NULL AS parent_id FROM generate_series(1, 20000) AS n`);
    await insertJobs(`VALUES ('fam', NULL), ('fam-0', 'fam'), ('fam-1', 'fam'), ('fam-0-0', 'fam-0')`);
  });
  afterAll(() => db.destroy());

  const lockFamily = (id: string, manager?: (m: EntityManager) => EntityManager) =>
    db.transaction(async (m) => [...(await new SqlJobStore(manager ? manager(m) : m, TEST_LIMITS).lockFamily(id)).keys()].sort());

  it('locks the whole family from any of its members, and a job without one alone', async () => {
    for (const member of family) expect(await lockFamily(member)).toEqual(family);
    expect(await lockFamily('bulk-7')).toEqual(['bulk-7']);
  });

  it('finds the family through the indexes, not by reading every job the table keeps', async () => {
    const asked: Array<[string, unknown[]]> = [];
    await lockFamily('fam-0', (m) => {
      const query = m.query.bind(m);
      return Object.assign(Object.create(m), {
        query: (sql: string, params: unknown[]) => (asked.push([sql, params]), query(sql, params)),
      }) as EntityManager;
    });
    const [walk, params] = asked.find(([sql]) => sql.includes('RECURSIVE'))!;
    const [{ 'QUERY PLAN': plans }] = await db.query(`EXPLAIN (FORMAT JSON) ${walk}`, params);
    const scans = planNodes(plans[0].Plan).filter((node) => node['Relation Name'] === 'jobs');
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');
  });
});
