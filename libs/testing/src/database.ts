import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase, runMigrations, type ClassType } from '@vrs/service-kit';
import { requireInfrastructure } from './infrastructure-scope';

export const testDatabaseUrl = (name: string) => `${process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/${name}`;

/** A migrated database of its own for one test file. */
export async function testDataSource(name: string, migrations: ClassType[] = [], entities: ClassType[] = []): Promise<DataSource> {
  requireInfrastructure('PostgreSQL');
  const url = testDatabaseUrl(name);
  await ensureDatabase(url);
  const dataSource = new DataSource(dataSourceOptions({ url, entities, migrations }));
  await dataSource.initialize();
  await runMigrations(dataSource);
  return dataSource;
}

/** One query on a service's database (e.g. `vrs_gateway`), for tests that check what was stored. */
export async function queryDatabase<T>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: testDatabaseUrl(database) });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
