import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { webhookSigningSecret, type TenantCreated } from '@vrs/contracts';
import { EVENT_OUTBOX, TRANSACTIONS, type EventOutbox, type Transactions } from '@vrs/service-kit';
import { TENANTS, type Tenants } from '../../application/ports/tenants.port';
import { tenantChangedEvents } from '../../application/tenant-events';
import type { GatewayConfig } from '../../config';
import { hashToken, newToken } from '../../domain/tenant';
import { GATEWAY_CONFIG } from '../../tokens';

/**
 * Makes a tenant: its API token (stored only as a hash) and webhook signing secret are answered only
 * here. The tenant is published (tenant.changed) in the same transaction, so Kafka intake learns it exists.
 */
@Injectable()
export class CreateTenantHandler {
  constructor(
    @Inject(TRANSACTIONS) private readonly transactions: Transactions,
    @Inject(TENANTS) private readonly tenants: Tenants,
    @Inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'WEBHOOK_SIGNING_MASTER_SECRET'>,
  ) {}

  async handle(name: string): Promise<TenantCreated> {
    const id = randomUUID();
    const token = newToken();
    await this.transactions.run(async () => {
      await this.tenants.create({ id, name }, hashToken(token));
      await this.outbox.publishAll(tenantChangedEvents([id]));
    });
    return { id, name, token, webhookSigningSecret: webhookSigningSecret(this.config.WEBHOOK_SIGNING_MASTER_SECRET, id) };
  }
}
