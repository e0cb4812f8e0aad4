import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of creating requests, per tenant. The row is inserted first, in the transaction
 * that creates, so a concurrent duplicate waits on the primary key; `status` and `response` are
 * filled before that transaction commits (NULL only while it runs).
 */
export class CreateIdempotencyKeys1796110635750 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1796110635750';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE idempotency_keys (
      tenant_id text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status int NULL,
      response text NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, key))`);
    await runner.query('CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE idempotency_keys');
  }
}
