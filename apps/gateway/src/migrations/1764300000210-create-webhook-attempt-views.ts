import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhookAttemptViews1764300000210 implements MigrationInterface {
  name = 'CreateWebhookAttemptViews1764300000210';

  async up(runner: QueryRunner): Promise<void> {
    // The delivery log of each job's webhook, fed by the notifier's webhook.attempted events.
    await runner.query(`CREATE TABLE webhook_attempt_views (
      delivery_id uuid NOT NULL,
      attempt int NOT NULL,
      job_id text NOT NULL,
      tenant_id text NOT NULL,
      url text NOT NULL,
      method text NOT NULL,
      attempted_at timestamptz NOT NULL,
      status_code int NULL,
      duration_ms int NOT NULL,
      error text NULL,
      outcome text NOT NULL,
      next_attempt_at timestamptz NULL,
      PRIMARY KEY (delivery_id, attempt))`);
    await runner.query('CREATE INDEX webhook_attempt_views_job ON webhook_attempt_views (job_id, tenant_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE webhook_attempt_views');
  }
}
