import type { DataSourceOptions } from 'typeorm';
import { DataSource } from 'typeorm';
import { MessagingTables1764300000000 } from '@vrs/messaging';
import { AfterCommitHooks } from './after-commit';

/** An entity or migration class, as TypeORM takes them. */
export type ClassType = new (...args: any[]) => unknown;

export interface DatabaseSettings {
  url: string;
  entities: ClassType[];
  migrations: ClassType[];
}

export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    subscribers: [AfterCommitHooks],
    migrations: [MessagingTables1764300000000, ...settings.migrations],
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}

const MIGRATION_LOCK = 7_300_001;

/** Runs pending migrations under an advisory lock so instances starting together do not race. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Runs `work` on the server's `postgres` database, to create or drop the database `url` names. */
async function onServer(url: string, work: (admin: DataSource, name: string, quotedName: string) => Promise<void>): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const ds = new DataSource({ type: 'postgres', url: admin.toString() });
  await ds.initialize();
  try {
    await work(ds, name, `"${name.replace(/"/g, '""')}"`);
  } finally {
    await ds.destroy();
  }
}

/** Creates the database if it does not exist (used by the infra scripts and tests). */
export function ensureDatabase(url: string): Promise<void> {
  return onServer(url, async (ds, name, quoted) => {
    const rows = await ds.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0)
      await ds.query(`CREATE DATABASE ${quoted}`).catch((error) => {
        if (!/already exists/.test(String(error))) throw error;
      });
  });
}

/** Drops the database if it exists, closing its connections (the local deployment starting over). */
export function dropDatabase(url: string): Promise<void> {
  return onServer(url, async (ds, _name, quoted) => {
    await ds.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
  });
}
