import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Jobs cancelled before or while their stitch runs; a stitch request for one of them is skipped. */
export class CreateCancelledJobs1764300000300 implements MigrationInterface {
  name = 'CreateCancelledJobs1764300000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE cancelled_jobs (job_id text PRIMARY KEY, cancelled_at timestamptz NOT NULL DEFAULT now())');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE cancelled_jobs');
  }
}
