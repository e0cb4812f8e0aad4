import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OutputUrls, TOPICS, type EventOf, type SchemaTopic } from '@vrs/contracts';
import { OutboxRelay, type UnitOfWork } from '@vrs/messaging';
import { testDataSource, testKafka } from '@vrs/testing';
import { ORCHESTRATOR_MIGRATIONS } from '../app.module';
import { AcceptJoinRequestHandler } from '../commands/accept-join-request/accept-join-request.handler';
import { AcceptRenderJobHandler } from '../commands/accept-render-job/accept-render-job.handler';
import { CancelJobHandler } from '../commands/cancel-job/cancel-job.handler';
import { ReconcileDeadlinesHandler } from '../commands/reconcile-deadlines/reconcile-deadlines.handler';
import { TrackRenderHandler } from '../commands/track-render/track-render.handler';
import { TrackStitchHandler } from '../commands/track-stitch/track-stitch.handler';
import type { DeadlineLimits } from '../domain/deadlines';
import type { Job } from '../domain/job';
import { DeadlineCounts } from '../infrastructure/deadline-counts';
import { JobEntity } from '../infrastructure/job.entity';
import { JobFlows } from '../infrastructure/job-flows';
import { JobRequestChecks } from '../infrastructure/job-request-checks';
import { TenantReplica } from '../infrastructure/tenant-replica';

export const TEST_LIMITS: DeadlineLimits = {
  stitchBaseSec: 60, stitchPerClipSec: 10, renderBaseSec: 60, renderPerAssetSec: 5, renderPerFrameSec: 1, renderFullFrames: 30, redriveLimit: 2,
};

type Body<T extends SchemaTopic> = Omit<EventOf<T>, 'eventId' | 'schemaVersion' | 'occurredAt'>;
export const eventOf = <T extends SchemaTopic>(_topic: T, body: Body<T>): EventOf<T> =>
  ({ eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), ...body }) as EventOf<T>;

export interface OutboxEvent { topic: string; key: string; payload: Record<string, any> }

/**
 * The orchestrator's handlers over a real, migrated database of their own (no broker: what they
 * publish is read from the outbox). Each handler's unit of work is a real transaction.
 */
export async function orchestratorHarness(database: string) {
  const dataSource: DataSource = await testDataSource(database, ORCHESTRATOR_MIGRATIONS, [JobEntity]);
  const flows = new JobFlows(new OutputUrls('http://127.0.0.1:3000', 'harness-output-url-secret'), TEST_LIMITS);
  const work: UnitOfWork = { transaction: (fn) => dataSource.transaction(fn) };
  const counts = new DeadlineCounts();
  // Never started: the reconciler only wakes it after a pass.
  const relay = new OutboxRelay(dataSource, testKafka().producer(), { lockKey: 7_399_001 });
  // Every tenant the harness names exists (the replica is fed here instead of by tenant.changed).
  const checks = new JobRequestChecks(new TenantReplica(dataSource), 0);
  const knownTenant = (tenantId: string) => dataSource.transaction((m) => TenantReplica.apply(m, [tenantId]));
  const joinHandler = new AcceptJoinRequestHandler(flows, checks);
  const renderHandler = new AcceptRenderJobHandler(flows, checks);
  const signal = new AbortController().signal;
  const cancelHandler = new CancelJobHandler(flows);
  const message = { topic: TOPICS.joinRequested, partition: 0, offset: '0', key: null, value: null };

  return {
    dataSource,
    counts,
    stitch: new TrackStitchHandler(flows),
    render: new TrackRenderHandler(flows),
    reconciler: new ReconcileDeadlinesHandler(dataSource, flows, relay, counts, { intervalMs: 1000, tombstoneTtlHours: 24 }),
    work,
    join: async (jobId: string, tenantId: string, assets: EventOf<typeof TOPICS.joinRequested>['assets'], settings?: EventOf<typeof TOPICS.joinRequested>['settings']) => {
      await knownTenant(tenantId);
      await joinHandler.handle(eventOf(TOPICS.joinRequested, { jobId, tenantId, assets, ...(settings ? { settings } : {}) }), work, message, signal);
    },
    renderJob: async (body: Body<typeof TOPICS.renderJobRequested>) => {
      await knownTenant(body.tenantId);
      await renderHandler.handle(eventOf(TOPICS.renderJobRequested, body), work, signal);
    },
    cancel: (jobId: string, tenantId: string) => cancelHandler.handle(eventOf(TOPICS.jobCancelRequested, { jobId, tenantId, reason: 'cancelled through the API' }), work),
    job: async (id: string): Promise<Job | null> => dataSource.getRepository(JobEntity).findOne({ where: { id } }),
    /** What the orchestrator has published (or will) about these jobs, oldest first. */
    published: async (keys: string[], topic?: string): Promise<OutboxEvent[]> => {
      const rows: Array<{ topic: string; message_key: string; payload: Record<string, any> }> = await dataSource.query(
        'SELECT topic, message_key, payload FROM outbox WHERE message_key = ANY($1) AND ($2::text IS NULL OR topic = $2) ORDER BY id', [keys, topic ?? null]);
      return rows.map((row) => ({ topic: row.topic, key: row.message_key, payload: row.payload }));
    },
    close: () => dataSource.destroy(),
  };
}

export type OrchestratorHarness = Awaited<ReturnType<typeof orchestratorHarness>>;
