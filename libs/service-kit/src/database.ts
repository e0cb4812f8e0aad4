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

/** Creates the database if it does not exist (used by the infra scripts and tests). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const ds = new DataSource({ type: 'postgres', url: admin.toString() });
  await ds.initialize();
  try {
    const rows = await ds.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0)
      await ds.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error) => {
        if (!/already exists/.test(String(error))) throw error;
      });
  } finally {
    await ds.destroy();
  }
}
