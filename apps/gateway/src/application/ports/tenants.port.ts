import type { Tenant } from '../../domain/tenant';

/** The tenants and the hashes of their API tokens (the tokens themselves are never stored). */
export interface Tenants {
  create(tenant: Tenant, tokenHash: string): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<Tenant | undefined>;
  /** Every tenant id, oldest first. */
  allIds(): Promise<string[]>;
}

export const TENANTS = Symbol('TENANTS');
