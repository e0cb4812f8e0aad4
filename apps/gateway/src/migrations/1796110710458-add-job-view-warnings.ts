import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A finished job's warnings, shown by GET /jobs/:id (job.status-changed "warnings"). */
export class AddJobViewWarnings1796110710458 implements MigrationInterface {
  name = 'AddJobViewWarnings1796110710458';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE job_views ADD COLUMN IF NOT EXISTS warnings jsonb NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE job_views DROP COLUMN warnings');
  }
}
