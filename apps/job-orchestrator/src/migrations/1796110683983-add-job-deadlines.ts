import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TERMINAL_STATUSES } from '@vrs/contracts';

/**
 * Every job that has not ended has a deadline (the reconciler re-drives or ends it after), and
 * cancels that come before their job are kept as tombstones. Jobs in flight when this runs get
 * an hour from their last change, so none is left without one.
 */
export class AddJobDeadlines1796110683983 implements MigrationInterface {
  name = 'AddJobDeadlines1796110683983';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE jobs ADD COLUMN redrives int NOT NULL DEFAULT 0');
    await runner.query('ALTER TABLE jobs ADD COLUMN driven_at timestamptz NULL');
    await runner.query('ALTER TABLE jobs ADD COLUMN deadline_at timestamptz NULL');
    await runner.query(`UPDATE jobs SET deadline_at = updated_at + interval '1 hour' WHERE status <> ALL($1::text[])`, [TERMINAL_STATUSES]);
    await runner.query('CREATE INDEX jobs_deadline_at ON jobs (deadline_at) WHERE deadline_at IS NOT NULL');
    await runner.query(`CREATE TABLE cancel_tombstones (
      tenant_id text NOT NULL,
      job_id text NOT NULL,
      reason text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, job_id))`);
    await runner.query('CREATE INDEX cancel_tombstones_created_at ON cancel_tombstones (created_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE cancel_tombstones');
    await runner.query('DROP INDEX jobs_deadline_at');
    await runner.query('ALTER TABLE jobs DROP COLUMN deadline_at');
    await runner.query('ALTER TABLE jobs DROP COLUMN driven_at');
    await runner.query('ALTER TABLE jobs DROP COLUMN redrives');
  }
}
