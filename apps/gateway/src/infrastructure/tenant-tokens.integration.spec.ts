import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDataSource } from '@vrs/testing';
import { hashToken, newToken } from '../domain/tenant';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { TENANT_CACHE_TTL_MS, TenantTokens } from './tenant-tokens';

/** Token lookups are kept a short while and shared, against real PostgreSQL. */
describe('TenantTokens', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = await testDataSource('vrs_gateway_tenant_tokens_test', GATEWAY_MIGRATIONS);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => db.destroy());

  async function newTenant() {
    const token = newToken();
    const id = `t-${randomUUID()}`;
    await db.query('INSERT INTO tenants (id, name, token_hash) VALUES ($1, $2, $3)', [id, 'cached', hashToken(token)]);
    return { id, hash: hashToken(token) };
  }

  it('asks the database once for many concurrent and later lookups within the TTL, and again after it', async () => {
    const tokens = new TenantTokens(db);
    const { id, hash } = await newTenant();
    const queries = jest.spyOn(db, 'query');
    const now = Date.now();
    const found = await Promise.all(Array.from({ length: 20 }, () => tokens.find(hash, now)));
    expect(found.every((tenant) => tenant?.id === id)).toBe(true);
    expect((await tokens.find(hash, now + TENANT_CACHE_TTL_MS - 1))?.id).toBe(id);
    expect(queries).toHaveBeenCalledTimes(1);
    // Past the TTL the row is read again: a tenant deleted meanwhile is refused.
    await db.query('DELETE FROM tenants WHERE id = $1', [id]);
    expect(await tokens.find(hash, now + TENANT_CACHE_TTL_MS + 1)).toBeUndefined();
  });

  it('does not keep a miss: a token whose tenant appears afterwards works at once', async () => {
    const tokens = new TenantTokens(db);
    const token = newToken();
    expect(await tokens.find(hashToken(token))).toBeUndefined();
    const id = `t-${randomUUID()}`;
    await db.query('INSERT INTO tenants (id, name, token_hash) VALUES ($1, $2, $3)', [id, 'late', hashToken(token)]);
    expect((await tokens.find(hashToken(token)))?.id).toBe(id);
  });
});
