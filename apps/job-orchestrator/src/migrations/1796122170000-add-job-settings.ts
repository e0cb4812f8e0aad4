import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A join job's output settings (join.requested `settings`), sent on with its stitch.requested; null for plain joins and renders. */
export class AddJobSettings1796122170000 implements MigrationInterface {
  name = 'AddJobSettings1796122170000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE jobs ADD COLUMN IF NOT EXISTS settings jsonb');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE jobs DROP COLUMN settings');
  }
}
