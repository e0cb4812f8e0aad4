import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OutputUrls, TOPICS, type EventOf, type SchemaTopic } from '@vrs/contracts';
import type { OutboxRelay } from '@vrs/messaging';
import { OutboxEvents, TransactionScope, type Transactions } from '@vrs/service-kit';
import { testDataSource } from '@vrs/testing';
import { ORCHESTRATOR_MIGRATIONS } from '../app.module';
import { JobRequestChecks } from '../application/job-request-checks';
import { AcceptJoinRequestHandler } from '../commands/accept-join-request/accept-join-request.handler';
import { AcceptRenderJobHandler } from '../commands/accept-render-job/accept-render-job.handler';
import { CancelJobHandler } from '../commands/cancel-job/cancel-job.handler';
import { ReconcileDeadlinesHandler } from '../commands/reconcile-deadlines/reconcile-deadlines.handler';
import { TrackRenderHandler } from '../commands/track-render/track-render.handler';
import { TrackStitchHandler } from '../commands/track-stitch/track-stitch.handler';
import type { DeadlineLimits } from '../domain/deadlines';
import type { Job } from '../domain/job';
import { CommittedDeadlineMetrics } from '../infrastructure/deadline-metrics';
import { JobEntity } from '../infrastructure/job.entity';
import { SqlJobFlows } from '../infrastructure/sql-job-flows';
import { SqlTenantReplica } from '../infrastructure/sql-tenant-replica';

export const TEST_LIMITS: DeadlineLimits = {
  stitchBaseSec: 60,
  stitchPerClipSec: 10,
  renderBaseSec: 60,
  renderPerAssetSec: 5,
  renderPerFrameSec: 1,
  renderFullFrames: 30,
  redriveLimit: 2,
};

type Body<T extends SchemaTopic> = Omit<EventOf<T>, 'eventId' | 'schemaVersion' | 'occurredAt'>;
export const eventOf = <T extends SchemaTopic>(_topic: T, body: Body<T>): EventOf<T> =>
  ({ eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), ...body }) as EventOf<T>;

export interface OutboxEvent {
  topic: string;
  key: string;
  payload: Record<string, any>;
}

/**
 * The orchestrator's handlers over a real, migrated database of their own, wired as the module does
 * (no broker: what they publish is read from the outbox). Each handler's unit of work is a real transaction.
 */
export async function orchestratorHarness(database: string) {
  const dataSource: DataSource = await testDataSource(database, ORCHESTRATOR_MIGRATIONS, [JobEntity]);
  const scope = new TransactionScope(dataSource);
  // No relay: what the handlers publish stays in the outbox, to be read.
  const outbox = new OutboxEvents(scope, { wake: () => undefined } as unknown as OutboxRelay);
  const flows = new SqlJobFlows(scope, outbox, new OutputUrls('http://127.0.0.1:3000', 'harness-output-url-secret'), TEST_LIMITS);
  const work: Transactions = { run: (fn) => scope.within(fn) };
  // Every tenant the harness names exists (the replica is fed here instead of by tenant.changed).
  const replica = new SqlTenantReplica(scope);
  const checks = new JobRequestChecks(replica, 0);
  const knownTenant = (tenantId: string) => replica.apply([tenantId]);
  const joinHandler = new AcceptJoinRequestHandler(flows, checks);
  const renderHandler = new AcceptRenderJobHandler(flows, checks);
  const signal = new AbortController().signal;
  const cancelHandler = new CancelJobHandler(flows);
  const message = { topic: TOPICS.joinRequested, partition: 0, offset: '0', key: null, value: null, timestamp: '0' };

  return {
    dataSource,
    stitch: new TrackStitchHandler(flows),
    render: new TrackRenderHandler(flows),
    reconciler: new ReconcileDeadlinesHandler(scope, flows, new CommittedDeadlineMetrics(scope), { intervalMs: 1000, tombstoneTtlHours: 24 }),
    work,
    join: async (
      jobId: string,
      tenantId: string,
      assets: EventOf<typeof TOPICS.joinRequested>['assets'],
      settings?: EventOf<typeof TOPICS.joinRequested>['settings'],
    ) => {
      await knownTenant(tenantId);
      await joinHandler.handle(eventOf(TOPICS.joinRequested, { jobId, tenantId, assets, ...(settings ? { settings } : {}) }), work, message, signal);
    },
    renderJob: async (body: Body<typeof TOPICS.renderJobRequested>) => {
      await knownTenant(body.tenantId);
      await renderHandler.handle(eventOf(TOPICS.renderJobRequested, body), work, signal);
    },
    cancel: (jobId: string, tenantId: string) =>
      cancelHandler.handle(eventOf(TOPICS.jobCancelRequested, { jobId, tenantId, reason: 'cancelled through the API' }), work),
    job: async (id: string): Promise<Job | null> => dataSource.getRepository(JobEntity).findOne({ where: { id } }),
    /** What the orchestrator has published (or will) about these jobs, oldest first. */
    published: async (keys: string[], topic?: string): Promise<OutboxEvent[]> => {
      const rows: Array<{ topic: string; message_key: string; payload: Record<string, any> }> = await dataSource.query(
        'SELECT topic, message_key, payload FROM outbox WHERE message_key = ANY($1) AND ($2::text IS NULL OR topic = $2) ORDER BY id',
        [keys, topic ?? null],
      );
      return rows.map((row) => ({ topic: row.topic, key: row.message_key, payload: row.payload }));
    },
    close: () => dataSource.destroy(),
  };
}

export type OrchestratorHarness = Awaited<ReturnType<typeof orchestratorHarness>>;
