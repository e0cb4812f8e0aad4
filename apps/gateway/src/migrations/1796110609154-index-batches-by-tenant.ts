import type { MigrationInterface, QueryRunner } from 'typeorm';

/** GET /batches lists a tenant's batches newest first. */
export class IndexBatchesByTenant1796110609154 implements MigrationInterface {
  name = 'IndexBatchesByTenant1796110609154';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX IF NOT EXISTS batches_tenant_created ON batches (tenant_id, created_at DESC)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX IF EXISTS batches_tenant_created');
  }
}
