import { MAX_TENANTS_PER_EVENT, TOPICS, webhookSigningSecret } from '@vrs/contracts';
import { hashToken } from '../../domain/tenant';
import { inMemoryGateway } from '../../testing/in-memory-ports';
import { RepublishTenants } from '../replicate-tenants/republish-tenants';
import { CreateTenantHandler } from './create-tenant.handler';

const MASTER = 'spec-master-secret-0123456789';

describe('CreateTenantHandler (in-memory ports)', () => {
  it('stores only the token hash, derives the webhook secret, and publishes tenant.changed in the same transaction', async () => {
    const gateway = inMemoryGateway();
    const created = await new CreateTenantHandler(gateway.transactions, gateway.tenants, gateway.outbox, { WEBHOOK_SIGNING_MASTER_SECRET: MASTER }).handle(
      'acme',
    );
    expect(created).toEqual({
      id: expect.any(String),
      name: 'acme',
      token: expect.stringMatching(/^vrs_/),
      webhookSigningSecret: webhookSigningSecret(MASTER, created.id),
    });
    expect(gateway.state().tenants).toEqual([{ tenant: { id: created.id, name: 'acme' }, tokenHash: hashToken(created.token) }]);
    expect(JSON.stringify(gateway.state())).not.toContain(created.token);
    expect(await gateway.tenants.findByTokenHash(hashToken(created.token))).toEqual({ id: created.id, name: 'acme' });
    expect(gateway.state().events).toEqual([{ topic: TOPICS.tenantChanged, key: created.id, body: { tenantIds: [created.id] } }]);
    expect(gateway.transactions.committed).toBe(1);
  });

  it('republishes every tenant at start, as many per event as the contract allows', async () => {
    const gateway = inMemoryGateway();
    for (let i = 0; i < MAX_TENANTS_PER_EVENT + 1; i++) await gateway.tenants.create({ id: `t-${i}`, name: `${i}` }, `hash-${i}`);
    await new RepublishTenants(gateway.transactions, gateway.tenants, gateway.outbox).onApplicationBootstrap();
    expect(gateway.state().events.map((event) => [event.topic, event.key, event.body.tenantIds.length])).toEqual([
      [TOPICS.tenantChanged, 'bootstrap', MAX_TENANTS_PER_EVENT],
      [TOPICS.tenantChanged, 'bootstrap', 1],
    ]);
  });
});
