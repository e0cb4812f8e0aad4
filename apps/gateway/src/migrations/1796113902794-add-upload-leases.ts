import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A PUT holds its upload by a lease it renews while bytes arrive, so a gateway that dies mid-PUT does not lock the upload until expiry. */
export class AddUploadLeases1796113902794 implements MigrationInterface {
  name = 'AddUploadLeases1796113902794';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE uploads ADD COLUMN lease_owner uuid NULL, ADD COLUMN lease_until timestamptz NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE uploads DROP COLUMN lease_owner, DROP COLUMN lease_until');
  }
}
