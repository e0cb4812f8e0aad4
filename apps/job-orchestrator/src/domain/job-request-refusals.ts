/** Why a job request from Kafka is refused: the x-dlq-reason its producer reads, naming the producer's field. */
export const unknownTenantReason = (tenantId: string, waitedMs: number) =>
  `tenantId: unknown tenant "${tenantId}" (still unknown after ${waitedMs} ms); an operator creates tenants with POST /admin/tenants`;

export const foreignJobIdReason = (jobId: string) => `jobId: "${jobId}" is already the id of another tenant's job; choose another jobId`;
