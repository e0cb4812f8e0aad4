import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A recorded cancel names its tenant, so a worker skips a job only for its owner's cancel; another
 * tenant's cancel keeps its message (`source`) until the job shows it is foreign, for the dead-letter
 * topic. Cancels recorded before this have no tenant and match no job. Listed by each worker service
 * after the migration that created its `cancelled_jobs` table.
 */
export class CancelledJobTenants1796120000000 implements MigrationInterface {
  name = 'CancelledJobTenants1796120000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE cancelled_jobs ADD COLUMN tenant_id text NOT NULL DEFAULT '', ADD COLUMN source jsonb`);
    await runner.query('ALTER TABLE cancelled_jobs DROP CONSTRAINT cancelled_jobs_pkey, ADD PRIMARY KEY (job_id, tenant_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    // One cancel per job id is all the old table can hold.
    await runner.query('DELETE FROM cancelled_jobs a USING cancelled_jobs b WHERE a.job_id = b.job_id AND a.tenant_id > b.tenant_id');
    await runner.query('ALTER TABLE cancelled_jobs DROP CONSTRAINT cancelled_jobs_pkey, ADD PRIMARY KEY (job_id)');
    await runner.query('ALTER TABLE cancelled_jobs DROP COLUMN source, DROP COLUMN tenant_id');
  }
}
