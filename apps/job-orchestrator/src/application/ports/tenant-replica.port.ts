/** This service's copy of the tenants that exist (the gateway owns them and publishes tenant.changed). */
export interface TenantReplica {
  /** Idempotent: the gateway republishes every tenant when it starts. */
  apply(tenantIds: string[]): Promise<void>;
  /**
   * Whether the tenant exists, waiting up to `waitMs` for it: a tenant created just before its first
   * job travels on another topic and may arrive a moment after the job request.
   */
  waitFor(tenantId: string, waitMs: number, signal: AbortSignal): Promise<boolean>;
}

export const TENANT_REPLICA = Symbol('TENANT_REPLICA');
