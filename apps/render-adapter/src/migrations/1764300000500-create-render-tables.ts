import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRenderTables1764300000500 implements MigrationInterface {
  name = 'CreateRenderTables1764300000500';

  async up(runner: QueryRunner): Promise<void> {
    // A replica of the gateway's template catalogue, fed by template.changed.
    await runner.query(`CREATE TABLE templates (
      tenant_id text NOT NULL,
      id text NOT NULL,
      body jsonb NOT NULL,
      PRIMARY KEY (tenant_id, id))`);
    // Jobs cancelled before or while they render; a render request for one of them is skipped.
    await runner.query('CREATE TABLE cancelled_jobs (job_id text PRIMARY KEY, cancelled_at timestamptz NOT NULL DEFAULT now())');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE cancelled_jobs');
    await runner.query('DROP TABLE templates');
  }
}
