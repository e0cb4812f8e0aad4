import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGatewayTables1764300000200 implements MigrationInterface {
  name = 'CreateGatewayTables1764300000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE tenants (
      id text PRIMARY KEY,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now())`);
    // The gateway's read model of jobs, fed by job.status-changed (highest sequence wins).
    await runner.query(`CREATE TABLE job_views (
      id text PRIMARY KEY,
      tenant_id text NOT NULL,
      parent_id text NULL,
      type text NOT NULL,
      status text NOT NULL,
      progress int NOT NULL DEFAULT 0,
      sequence int NOT NULL DEFAULT -1,
      output_key text NOT NULL,
      uploaded_url text NULL,
      children jsonb NOT NULL DEFAULT '[]',
      stats jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await runner.query('CREATE INDEX job_views_tenant_created ON job_views (tenant_id, created_at)');
    await runner.query(`CREATE TABLE job_log_lines (
      id bigserial PRIMARY KEY,
      job_id text NOT NULL,
      at timestamptz NOT NULL,
      line text NOT NULL)`);
    await runner.query('CREATE INDEX job_log_lines_job ON job_log_lines (job_id, id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE job_log_lines');
    await runner.query('DROP TABLE job_views');
    await runner.query('DROP TABLE tenants');
  }
}
