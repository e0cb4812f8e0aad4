import { randomUUID } from 'node:crypto';
import { validateEvent, type JobStatus, type JobStatusChanged, type SchemaTopic, type WebhookAttempted } from '@vrs/contracts';
import type { OutgoingEvent } from '@vrs/messaging';
import type { EventOutbox, GroupableTransactions } from '@vrs/service-kit';
import type { BatchSummary, JobRecord, JobViews, ListQuery, NewJobView } from '../application/ports/job-views.port';
import type { StoredTemplate, Templates } from '../application/ports/templates.port';
import type { Tenants } from '../application/ports/tenants.port';
import type { UploadRecords } from '../application/ports/upload-records.port';
import type { WebhookAttemptViews } from '../application/ports/webhook-attempt-views.port';
import type { Tenant } from '../domain/tenant';
import type { UploadRecord } from '../domain/uploads';

/** Everything the gateway's ports hold, in memory; a transaction that throws puts it back as it was. */
interface State {
  jobs: Array<JobRecord & { batchId?: string }>;
  logLines: Array<{ jobId: string; at: Date; line: string }>;
  batches: Array<{ id: string; tenantId: string; createdAt: Date }>;
  templates: StoredTemplate[];
  tenants: Array<{ tenant: Tenant; tokenHash: string }>;
  uploads: UploadRecord[];
  attempts: WebhookAttempted[];
  /** Published events as their consumers would get them (validated against the topic's contract). */
  events: Array<{ topic: SchemaTopic; key: string; body: Record<string, any> }>;
}

const queuedStats = (at: string) => ({ createdAt: at, updatedAt: at, startedAt: null, finishedAt: null, errorAt: null, error: null });

/**
 * The gateway's ports over one in-memory state, for handler specs: no database, and the same
 * all-or-nothing transactions (state is restored when the work throws) and contract checks on events.
 */
export function inMemoryGateway() {
  let state: State = { jobs: [], logLines: [], batches: [], templates: [], tenants: [], uploads: [], attempts: [], events: [] };
  let open = false;
  /** One transaction: state as it was before comes back when the work throws. */
  async function transaction<T>(work: () => Promise<T>): Promise<T> {
    const before = structuredClone(state);
    const wasOpen = open;
    open = true;
    try {
      const result = await work();
      transactions.committed += 1;
      return result;
    } catch (error) {
      state = before;
      throw error;
    } finally {
      open = wasOpen;
    }
  }
  const transactions: GroupableTransactions & { committed: number } = {
    committed: 0,
    get isOpen() {
      return open;
    },
    run: <T>(work: () => Promise<T>): Promise<T> => (open ? work() : transaction(work)),
    within: transaction,
  };

  const outbox: EventOutbox = {
    publish: (topic, key, body, options) => outbox.publishAll([{ topic, key, body, eventId: options?.eventId } as OutgoingEvent]),
    async publishAll(events) {
      for (const { topic, body, eventId } of events) {
        const validation = validateEvent(topic, { eventId: eventId ?? randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), ...body });
        if (!validation.ok)
          throw new Error(`refusing to publish an invalid ${topic} event: ${validation.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
      }
      state.events.push(...events.map(({ topic, key, body }) => ({ topic, key, body: body as Record<string, any> })));
    },
  };

  const views: JobViews = {
    async insertQueued(jobs: NewJobView[], now: Date) {
      const at = now.toISOString();
      for (const job of jobs) {
        state.jobs.push({ ...job, parentId: null, status: 'queued', progress: 0, uploadedUrl: null, children: [], stats: queuedStats(at), warnings: null });
        state.logLines.push({ jobId: job.id, at: now, line: 'accepted by the API' });
      }
    },
    async applyAll(events: JobStatusChanged[]) {
      for (const event of events) {
        const { jobId, tenantId, parentId, type, status, progress, outputKey, uploadedUrl, children, stats, warnings } = event;
        const index = state.jobs.findIndex((job) => job.id === jobId);
        state.jobs.splice(index < 0 ? state.jobs.length : index, index < 0 ? 0 : 1, {
          id: jobId,
          tenantId,
          parentId,
          type,
          status,
          progress,
          outputKey,
          uploadedUrl,
          children,
          stats,
          warnings: warnings ?? null,
        });
        state.logLines.push({ jobId, at: new Date(event.occurredAt), line: `[${status}] ${event.logLine}` });
      }
    },
    async get(tenantId, id) {
      return state.jobs.find((job) => job.id === id && job.tenantId === tenantId) ?? null;
    },
    async statuses(tenantId, ids) {
      return new Map(state.jobs.filter((job) => job.tenantId === tenantId && ids.includes(job.id)).map((job): [string, JobStatus] => [job.id, job.status]));
    },
    async list(query: ListQuery) {
      return state.jobs.filter((job) => job.tenantId === query.tenantId && (!query.states?.length || query.states.includes(job.status))).slice(0, query.limit);
    },
    async logLines(jobId) {
      return state.logLines.filter((line) => line.jobId === jobId);
    },
    async insertBatch(id, tenantId) {
      state.batches.push({ id, tenantId, createdAt: new Date() });
    },
    async batches(tenantId, query): Promise<BatchSummary[]> {
      return state.batches
        .filter((batch) => batch.tenantId === tenantId && (!query.batchId || batch.id === query.batchId))
        .slice(0, query.limit)
        .map((batch) => {
          const jobs = state.jobs.filter((job) => job.batchId === batch.id);
          const finished = jobs.filter((job) => job.status === 'finished').length;
          const error = jobs.filter((job) => job.status === 'error' || job.status === 'manually_cancelled').length;
          return {
            id: batch.id,
            createdAt: batch.createdAt.toISOString(),
            stats: { total: jobs.length, finished, error, pending: jobs.length - finished - error },
          };
        });
    },
  };

  const templates: Templates = {
    async create(template) {
      state.templates.push(template);
    },
    async delete(tenantId, id) {
      const before = state.templates.length;
      state.templates = state.templates.filter((template) => !(template.id === id && template.tenantId === tenantId));
      return state.templates.length < before;
    },
    async get(tenantId, id) {
      return state.templates.find((template) => template.id === id && template.tenantId === tenantId) ?? null;
    },
    async list(tenantId, limit) {
      return state.templates.filter((template) => template.tenantId === tenantId).slice(0, limit);
    },
  };

  const tenants: Tenants = {
    async create(tenant, tokenHash) {
      state.tenants.push({ tenant, tokenHash });
    },
    async findByTokenHash(tokenHash) {
      return state.tenants.find((row) => row.tokenHash === tokenHash)?.tenant;
    },
    async allIds() {
      return state.tenants.map((row) => row.tenant.id);
    },
  };

  const uploads = {
    async insert(upload: UploadRecord) {
      state.uploads.push(upload);
    },
    async find(id: string) {
      return state.uploads.find((upload) => upload.id === id);
    },
    async findForTenant(tenantId: string, ids: string[]) {
      return state.uploads.filter((upload) => upload.tenantId === tenantId && ids.includes(upload.id));
    },
  } as UploadRecords;

  const attempts: WebhookAttemptViews = {
    async record(event) {
      state.attempts.push(event);
    },
    async forJob(tenantId, jobId) {
      return state.attempts
        .filter((a) => a.jobId === jobId && a.tenantId === tenantId)
        .map((a) => ({
          id: a.deliveryId,
          url: a.url,
          method: a.method,
          status: a.outcome,
          nextAttemptAt: a.nextAttemptAt,
          attempts: [{ attempt: a.attempt, at: a.attemptedAt, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, outcome: a.outcome }],
        }));
    },
  };

  return { state: () => state, transactions, outbox, views, templates, tenants, uploads, attempts };
}

export type InMemoryGateway = ReturnType<typeof inMemoryGateway>;

/** A template with a text layer `title` and a video layer `clip`, as POST /templates stores it. */
export const framedTemplate = (id: string, tenantId: string): StoredTemplate => ({
  id,
  tenantId,
  name: 'framed',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  body: {
    name: 'framed',
    driver: 'builtin',
    compositions: {
      main: {
        width: 320,
        height: 180,
        fps: 25,
        durationSec: 1,
        layers: [
          { layerName: 'title', type: 'text', text: 'hi' },
          { layerName: 'clip', type: 'video', src: 'https://templates.example/placeholder.mp4' },
        ],
      },
    },
  },
});
