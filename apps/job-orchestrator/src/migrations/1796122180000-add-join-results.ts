import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a finished join made of its settings (stitch.completed): its poster and thumbnail index keys, the crossfades' overlap. */
export class AddJoinResults1796122180000 implements MigrationInterface {
  name = 'AddJoinResults1796122180000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE jobs ADD COLUMN IF NOT EXISTS poster_key text, ADD COLUMN IF NOT EXISTS thumbnails_key text,
      ADD COLUMN IF NOT EXISTS overlap_sec double precision`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE jobs DROP COLUMN poster_key, DROP COLUMN thumbnails_key, DROP COLUMN overlap_sec');
  }
}
