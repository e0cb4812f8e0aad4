import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { foreignCancelReason, TOPICS, validateEvent } from '@vrs/contracts';
import { logger, withLogContext } from '@vrs/observability';
import { reportConsumerDeath } from '../consumer/consumer-deaths';
import { sendToDeadLetter } from '../consumer/dead-letter';
import type { IncomingMessage } from '../consumer/incoming-message';
import { createKafka, GROUP_TIMING } from '../kafka/kafka-client';
import { KAFKA_PRODUCER, MESSAGING_OPTIONS, type MessagingOptions } from '../nest/messaging.tokens';
import { RunningJobs } from './running-jobs';

/** How long work waits at start for the cancels sent while no instance was recording them. */
const CATCH_UP_MS = 60_000;
/** How often an instance forgets cancels that are older than the TTL (every instance may: the DELETE is idempotent). */
const PURGE_INTERVAL_MS = 60 * 60_000;
export const DEFAULT_CANCELLED_JOBS_TTL_HOURS = 168;

/** Where a recorded cancel came from, so it can still be dead-lettered unchanged once it proves foreign. */
interface CancelSource {
  partition: number;
  offset: string;
  value: string;
}

/**
 * Every instance of a worker service hears every cancel (a consumer group of its own), because the
 * work to stop may run on any of them and must not wait behind long work on the same partition.
 * A cancel is honoured only for the tenant that owns the job: work running here for another tenant
 * goes on and the cancel goes to the DLQ with the reason. Cancels for work not running here are
 * recorded (`cancelled_jobs`, by job and tenant), so a request that arrives later is skipped only
 * when its own tenant cancelled it (`isCancelled`); one recorded in another tenant's name is
 * dead-lettered then.
 *
 * The per-instance groups start at the end of the topic, so an instance hears nothing sent while it
 * was down. The service's cancel log (one group for all its instances, committed offsets) records
 * those too: after an outage the requests queued for jobs that were cancelled or ended by their
 * deadline meanwhile are skipped, instead of being worked through while live jobs wait behind them.
 */
@Injectable()
export class CancellationWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = logger('cancellation-watcher');
  private readonly group: string;
  /** One for all instances of the service; its name matches the ACL prefix of the per-instance groups (`<service>-cancel-`). */
  private readonly logGroup: string;
  private consumer?: Consumer;
  private cancelLog?: Consumer;
  private purging?: NodeJS.Timeout;
  private markCaughtUp!: () => void;
  private readonly caughtUp = new Promise<void>((resolve) => {
    this.markCaughtUp = resolve;
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly running: RunningJobs,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
  ) {
    this.group = `${options.clientId}-cancel-${hostname()}-${process.pid}`;
    this.logGroup = `${options.clientId}-cancel-log`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const kafka = createKafka({ ...this.options.kafka, clientId: `${this.options.clientId}-cancellations` });
    this.consumer = kafka.consumer({ groupId: this.group, ...GROUP_TIMING });
    reportConsumerDeath(this.consumer, this.group);
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPICS.jobCancelRequested, fromBeginning: false });
    await this.consumer.run({
      eachMessage: ({ partition, message }) => this.onCancel({ partition, offset: message.offset, value: message.value?.toString() ?? '' }),
    });
    await this.startCancelLog(kafka);
    // Once now too: an instance restarted more often than the interval would otherwise never purge.
    void this.purgeExpired();
    this.purging = setInterval(() => void this.purgeExpired(), PURGE_INTERVAL_MS).unref();
  }

  /**
   * Forgets cancels older than `cancelledJobsTtlHours` (default a week, as long as the orchestrator
   * keeps its tombstones): by then no request for the job is still on its way. Answers how many.
   */
  async purgeExpired(): Promise<number> {
    try {
      const [, count]: [unknown, number] = await this.dataSource.query(`DELETE FROM cancelled_jobs WHERE cancelled_at < now() - $1 * interval '1 hour'`, [
        this.options.cancelledJobsTtlHours ?? DEFAULT_CANCELLED_JOBS_TTL_HOURS,
      ]);
      if (count > 0) this.log.info('expired cancels forgotten', { count });
      return count;
    } catch (error) {
      this.log.warn('expired cancels not purged; trying again later', { error: (error as Error).message });
      return 0;
    }
  }

  /**
   * Records every cancel in the service's table from committed offsets, whichever instance is up. Work
   * starts only once the cancels sent before this instance started are recorded (`caughtUp`, bounded).
   */
  private async startCancelLog(kafka: Kafka): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(TOPICS.jobCancelRequested);
      this.cancelLog = kafka.consumer({ groupId: this.logGroup, ...GROUP_TIMING });
      reportConsumerDeath(this.cancelLog, this.logGroup);
      await this.cancelLog.connect();
      await this.cancelLog.subscribe({ topic: TOPICS.jobCancelRequested, fromBeginning: true });
      await this.cancelLog.run({
        autoCommitThreshold: 1,
        eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
          const cancels = batch.messages.flatMap((message) => {
            const source = { partition: batch.partition, offset: message.offset, value: message.value?.toString() ?? '' };
            const cancel = this.parse(source.value);
            return cancel ? [{ ...cancel, source }] : [];
          });
          await this.record(cancels);
          resolveOffset(batch.lastOffset());
          await commitOffsetsIfNecessary();
        },
      });
      const deadline = Date.now() + CATCH_UP_MS;
      for (;;) {
        const [{ partitions }] = await admin.fetchOffsets({ groupId: this.logGroup, topics: [TOPICS.jobCancelRequested] });
        const committed = new Map(partitions.map((entry) => [entry.partition, BigInt(entry.offset)]));
        if (ends.every(({ partition, high, low }) => high === low || (committed.get(partition) ?? -1n) >= BigInt(high))) break;
        if (Date.now() > deadline) {
          this.log.warn('cancels sent before this start are still being recorded; work starts anyway', { waitedMs: CATCH_UP_MS });
          break;
        }
        await sleep(500);
      }
    } finally {
      this.markCaughtUp();
      await admin.disconnect();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.purging);
    await Promise.all([this.consumer?.disconnect(), this.cancelLog?.disconnect()]);
  }

  /** Whether the job's own tenant cancelled it. Cancels recorded for it in another tenant's name go to the DLQ now. */
  async isCancelled(jobId: string, tenantId: string): Promise<boolean> {
    await this.caughtUp;
    const rows: Array<{ tenant_id: string; source: CancelSource | null }> = await this.dataSource.query(
      'SELECT tenant_id, source FROM cancelled_jobs WHERE job_id = $1',
      [jobId],
    );
    for (const row of rows.filter((entry) => entry.tenant_id !== tenantId)) {
      if (row.source) await this.refuse(jobId, row.tenant_id, row.source);
      await this.dataSource.query('DELETE FROM cancelled_jobs WHERE job_id = $1 AND tenant_id = $2', [jobId, row.tenant_id]);
    }
    return rows.some((row) => row.tenant_id === tenantId);
  }

  /** The cancel, or null for a malformed message (the orchestrator's consumer dead-letters it). */
  private parse(value: string): { jobId: string; tenantId: string } | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return null;
    }
    const validation = validateEvent(TOPICS.jobCancelRequested, parsed);
    return validation.ok ? validation.value : null;
  }

  private async onCancel(source: CancelSource): Promise<void> {
    const cancel = this.parse(source.value);
    if (!cancel) return;
    const { jobId, tenantId } = cancel;
    await withLogContext({ jobId }, async () => {
      const outcome = this.running.cancel(jobId, tenantId);
      if (outcome === 'foreign') {
        await this.refuse(jobId, tenantId, source);
        return;
      }
      // Kept also for work stopped here, so a redelivered request for it is skipped.
      await this.record([{ jobId, tenantId, source }]);
      if (outcome === 'stopped') this.log.info('running work cancelled');
    });
  }

  private async record(cancels: Array<{ jobId: string; tenantId: string; source: CancelSource }>): Promise<void> {
    if (cancels.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO cancelled_jobs (job_id, tenant_id, source)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) ON CONFLICT DO NOTHING`,
      [cancels.map((c) => c.jobId), cancels.map((c) => c.tenantId), cancels.map((c) => JSON.stringify(c.source))],
    );
  }

  private async refuse(jobId: string, tenantId: string, source: CancelSource): Promise<void> {
    const message: Omit<IncomingMessage, 'timestamp'> = {
      topic: TOPICS.jobCancelRequested,
      partition: source.partition,
      offset: source.offset,
      key: jobId,
      value: source.value,
    };
    this.log.warn('cancel from a tenant that does not own the job refused', { jobId, tenantId });
    await sendToDeadLetter(this.producer, this.group, message, { cause: 'permanent_failure', reason: foreignCancelReason(jobId, tenantId) });
  }
}
