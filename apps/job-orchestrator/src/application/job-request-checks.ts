import { PermanentFailure } from '@vrs/messaging';
import { logger } from '@vrs/observability';
import { foreignJobIdReason, unknownTenantReason } from '../domain/job-request-refusals';
import type { JobStore } from './ports/job-store.port';
import type { TenantReplica } from './ports/tenant-replica.port';

/**
 * What every job request from Kafka must pass before it becomes a job: its tenant exists, and its job id
 * is free or already the same tenant's. A refusal is logged with the job id and dead-lettered with the reason.
 */
export class JobRequestChecks {
  private readonly log = logger('job-request-checks');

  constructor(
    private readonly tenants: TenantReplica,
    private readonly tenantWaitMs: number,
  ) {}

  async requireTenant(tenantId: string, jobId: string, signal: AbortSignal): Promise<void> {
    if (await this.tenants.waitFor(tenantId, this.tenantWaitMs, signal)) return;
    this.refuse(jobId, tenantId, unknownTenantReason(tenantId, this.tenantWaitMs));
  }

  /** For a request whose job exists already: the same tenant's is a repeat (ignored), another tenant's a refusal. */
  async requireOwnJob(store: JobStore, jobId: string, tenantId: string): Promise<void> {
    const owner = await store.ownerOf(jobId);
    if (owner !== null && owner !== tenantId) this.refuse(jobId, tenantId, foreignJobIdReason(jobId));
  }

  private refuse(jobId: string, tenantId: string, reason: string): never {
    this.log.warn('job request refused; it goes to the dead-letter topic', { jobId, tenantId, reason });
    throw new PermanentFailure(reason);
  }
}
