import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a finished job's output does not fully keep of its inputs (stitch.completed warnings). */
export class AddJobWarnings1796110710420 implements MigrationInterface {
  name = 'AddJobWarnings1796110710420';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE jobs ADD COLUMN IF NOT EXISTS warnings jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE jobs DROP COLUMN warnings');
  }
}
