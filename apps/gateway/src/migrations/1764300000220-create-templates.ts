import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tenants' template catalogue (the gateway owns it; the render-adapter keeps a replica). */
export class CreateTemplates1764300000220 implements MigrationInterface {
  name = 'CreateTemplates1764300000220';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE templates (
      id text PRIMARY KEY,
      tenant_id text NOT NULL,
      name text NOT NULL,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await runner.query('CREATE INDEX templates_tenant_created ON templates (tenant_id, created_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE templates');
  }
}
