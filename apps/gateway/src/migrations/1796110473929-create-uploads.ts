import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Source uploads (POST /uploads): one row per announced file, deleted with its object after expiry. */
export class CreateUploads1796110473929 implements MigrationInterface {
  name = 'CreateUploads1796110473929';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE uploads (
      id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      filename text NOT NULL,
      content_type text NOT NULL,
      size bigint NOT NULL,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'receiving', 'complete')),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      completed_at timestamptz NULL)`);
    await runner.query('CREATE INDEX uploads_expiry ON uploads (expires_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE uploads');
  }
}
