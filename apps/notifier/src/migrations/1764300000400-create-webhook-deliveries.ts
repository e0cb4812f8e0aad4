import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhookDeliveries1764300000400 implements MigrationInterface {
  name = 'CreateWebhookDeliveries1764300000400';

  async up(runner: QueryRunner): Promise<void> {
    // One delivery per job that ended with a webhook; its id is the X-Webhook-Id of every attempt.
    await runner.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      job_id text NOT NULL UNIQUE,
      tenant_id text NOT NULL,
      url text NOT NULL,
      method text NOT NULL,
      headers jsonb NOT NULL,
      body text NOT NULL,
      status text NOT NULL,
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NULL,
      retry_until timestamptz NOT NULL,
      last_error text NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await runner.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await runner.query(`CREATE TABLE webhook_attempts (
      delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id),
      attempt int NOT NULL,
      attempted_at timestamptz NOT NULL,
      status_code int NULL,
      duration_ms int NOT NULL,
      error text NULL,
      outcome text NOT NULL,
      PRIMARY KEY (delivery_id, attempt))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE webhook_attempts');
    await runner.query('DROP TABLE webhook_deliveries');
  }
}
