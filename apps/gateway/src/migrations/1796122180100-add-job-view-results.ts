import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A finished join's poster and thumbnail index keys and its crossfades' overlap, shown by GET /jobs/:id (job.status-changed). */
export class AddJobViewResults1796122180100 implements MigrationInterface {
  name = 'AddJobViewResults1796122180100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE job_views ADD COLUMN IF NOT EXISTS poster_key text, ADD COLUMN IF NOT EXISTS thumbnails_key text,
      ADD COLUMN IF NOT EXISTS overlap_sec double precision`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE job_views DROP COLUMN poster_key, DROP COLUMN thumbnails_key, DROP COLUMN overlap_sec');
  }
}
