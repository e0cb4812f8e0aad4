import { z } from 'zod';
import { listLimit } from './list-query';

/** How many jobs one request may create (`POST /batches`) or cancel (`POST /jobs/cancel`). */
export const BULK_LIMITS = { batchJobs: 1000, cancelJobs: 1000 } as const;

/** `POST /batches`: each entry is a join or a render job body, validated on its own (reported by index). */
export const createBatchBody = z.strictObject({
  jobs: z.array(z.unknown()).min(1, 'needs at least one job').max(BULK_LIMITS.batchJobs, `at most ${BULK_LIMITS.batchJobs} jobs`),
});

/** `POST /jobs/cancel`. */
export const cancelJobsBody = z.strictObject({ jobs: z.array(z.string().min(1).max(64)).min(1).max(BULK_LIMITS.cancelJobs) });

/** `POST /admin/tenants` (with the ADMIN_TOKEN). */
export const createTenantBody = z.strictObject({ name: z.string().min(1).max(200) });

/** `GET /batches` query parameters. */
export const listBatchesQuery = z.strictObject({ limit: listLimit });
