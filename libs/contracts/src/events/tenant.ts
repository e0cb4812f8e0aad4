import { z } from 'zod';
import { envelope, tenantId } from './common';

/** Most tenant ids in one tenant.changed: the start-up bootstrap sends every tenant in a few events. */
export const MAX_TENANTS_PER_EVENT = 1000;

/**
 * Internal (gateway → job-orchestrator, key: the tenant id, or `bootstrap`): these tenants exist. The
 * gateway owns the tenants; the orchestrator keeps a replica so messages on its Kafka entry points name
 * only real tenants. The gateway publishes one when a tenant is created and, when it starts, all of
 * them (a bootstrap; applying a tenant twice changes nothing).
 */
export const tenantChanged = z.strictObject({ ...envelope, tenantIds: z.array(tenantId).min(1).max(MAX_TENANTS_PER_EVENT) });
export type TenantChanged = z.infer<typeof tenantChanged>;
