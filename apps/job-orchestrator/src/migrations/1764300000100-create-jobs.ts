import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateJobs1764300000100 implements MigrationInterface {
  name = 'CreateJobs1764300000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE jobs (
      id text PRIMARY KEY,
      tenant_id text NOT NULL,
      parent_id text NULL,
      type text NOT NULL,
      status text NOT NULL,
      progress int NOT NULL,
      sequence int NOT NULL,
      output_key text NOT NULL,
      uploaded_url text NULL,
      assets jsonb NOT NULL,
      upload jsonb NULL,
      webhook jsonb NULL,
      error text NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      started_at timestamptz NULL,
      finished_at timestamptz NULL,
      error_at timestamptz NULL)`);
    await runner.query('CREATE INDEX jobs_tenant_id ON jobs (tenant_id)');
    await runner.query('CREATE INDEX jobs_parent_id ON jobs (parent_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE jobs');
  }
}
