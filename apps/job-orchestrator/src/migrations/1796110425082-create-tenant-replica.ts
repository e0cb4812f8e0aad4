import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The orchestrator's replica of the gateway's tenants (tenant.changed): Kafka intake accepts only these. */
export class CreateTenantReplica1796110425082 implements MigrationInterface {
  name = 'CreateTenantReplica1796110425082';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE tenants (id text PRIMARY KEY, replicated_at timestamptz NOT NULL DEFAULT now())');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE tenants');
  }
}
