import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Render jobs and child jobs: what a render job renders, and the children a parent waits for. */
export class AddJobChildren1764300000110 implements MigrationInterface {
  name = 'AddJobChildren1764300000110';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE jobs ADD COLUMN render jsonb NULL');
    await runner.query(`ALTER TABLE jobs ADD COLUMN children jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE jobs DROP COLUMN children');
    await runner.query('ALTER TABLE jobs DROP COLUMN render');
  }
}
