import { z } from 'zod';
import { envelope, tenantId } from './common';

/**
 * Internal (gateway → job-orchestrator, key: tenant id): a tenant exists. The gateway owns the tenants;
 * the orchestrator keeps a replica so messages on its Kafka entry points name only real tenants. The
 * gateway publishes one when a tenant is created and again for every tenant when it starts (a bootstrap;
 * applying one twice changes nothing).
 */
export const tenantChanged = z.strictObject({ ...envelope, tenantId });
export type TenantChanged = z.infer<typeof tenantChanged>;
