import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The job gauges (vrs_jobs_active, …) count jobs not ended at every scrape; ended jobs, the bulk of the table, stay out of the index. */
export class AddActiveJobsIndex1796110680104 implements MigrationInterface {
  name = 'AddActiveJobsIndex1796110680104';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX IF NOT EXISTS jobs_active_idx ON jobs (type, status, updated_at)
      WHERE status IN ('queued', 'pending', 'render:dorender')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX IF EXISTS jobs_active_idx');
  }
}
