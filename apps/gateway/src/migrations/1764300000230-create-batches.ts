import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBatches1764300000230 implements MigrationInterface {
  name = 'CreateBatches1764300000230';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE batches (
      id text PRIMARY KEY,
      tenant_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await runner.query('ALTER TABLE job_views ADD COLUMN batch_id text NULL');
    await runner.query('CREATE INDEX job_views_batch ON job_views (batch_id) WHERE batch_id IS NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE job_views DROP COLUMN batch_id');
    await runner.query('DROP TABLE batches');
  }
}
