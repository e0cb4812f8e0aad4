import { hostname } from 'node:os';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { foreignCancelReason, TOPICS, validateEvent } from '@vrs/contracts';
import { logger, withLogContext } from '@vrs/observability';
import { sendToDeadLetter } from '../consumer/dead-letter';
import type { IncomingMessage } from '../consumer/incoming-message';
import { createKafka, GROUP_TIMING } from '../kafka/kafka-client';
import { KAFKA_PRODUCER, MESSAGING_OPTIONS, type MessagingOptions } from '../nest/messaging.tokens';
import { RunningJobs } from './running-jobs';

/** Where a recorded cancel came from, so it can still be dead-lettered unchanged once it proves foreign. */
interface CancelSource { partition: number; offset: string; value: string }

/**
 * Every instance of a worker service hears every cancel (a consumer group of its own), because the
 * work to stop may run on any of them and must not wait behind long work on the same partition.
 * A cancel is honoured only for the tenant that owns the job: work running here for another tenant
 * goes on and the cancel goes to the DLQ with the reason. Cancels for work not running here are
 * recorded (`cancelled_jobs`, by job and tenant), so a request that arrives later is skipped only
 * when its own tenant cancelled it (`isCancelled`); one recorded in another tenant's name is
 * dead-lettered then.
 */
@Injectable()
export class CancellationWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = logger('cancellation-watcher');
  private readonly group: string;
  private consumer?: Consumer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly running: RunningJobs,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
  ) {
    this.group = `${options.clientId}-cancel-${hostname()}-${process.pid}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const kafka = createKafka({ ...this.options.kafka, clientId: `${this.options.clientId}-cancellations` });
    this.consumer = kafka.consumer({ groupId: this.group, ...GROUP_TIMING });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPICS.jobCancelRequested, fromBeginning: false });
    await this.consumer.run({
      eachMessage: ({ partition, message }) => this.onCancel({ partition, offset: message.offset, value: message.value?.toString() ?? '' }),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** Whether the job's own tenant cancelled it. Cancels recorded for it in another tenant's name go to the DLQ now. */
  async isCancelled(jobId: string, tenantId: string): Promise<boolean> {
    const rows: Array<{ tenant_id: string; source: CancelSource | null }> = await this.dataSource.query(
      'SELECT tenant_id, source FROM cancelled_jobs WHERE job_id = $1', [jobId]);
    for (const row of rows.filter((entry) => entry.tenant_id !== tenantId)) {
      if (row.source) await this.refuse(jobId, row.tenant_id, row.source);
      await this.dataSource.query('DELETE FROM cancelled_jobs WHERE job_id = $1 AND tenant_id = $2', [jobId, row.tenant_id]);
    }
    return rows.some((row) => row.tenant_id === tenantId);
  }

  private async onCancel(source: CancelSource): Promise<void> {
    let parsed: unknown;
    try { parsed = JSON.parse(source.value); } catch { return; } // the orchestrator's consumer dead-letters it
    const validation = validateEvent(TOPICS.jobCancelRequested, parsed);
    if (!validation.ok) return;
    const { jobId, tenantId } = validation.value;
    await withLogContext({ jobId }, async () => {
      const outcome = this.running.cancel(jobId, tenantId);
      if (outcome === 'foreign') {
        await this.refuse(jobId, tenantId, source);
        return;
      }
      // Kept also for work stopped here, so a redelivered request for it is skipped.
      await this.dataSource.query(
        'INSERT INTO cancelled_jobs (job_id, tenant_id, source) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [jobId, tenantId, JSON.stringify(source)]);
      if (outcome === 'stopped') this.log.info('running work cancelled');
    });
  }

  private async refuse(jobId: string, tenantId: string, source: CancelSource): Promise<void> {
    const message: IncomingMessage = { topic: TOPICS.jobCancelRequested, partition: source.partition, offset: source.offset, key: jobId, value: source.value };
    this.log.warn('cancel from a tenant that does not own the job refused', { jobId, tenantId });
    await sendToDeadLetter(this.producer, this.group, message, { cause: 'permanent_failure', reason: foreignCancelReason(jobId, tenantId) });
  }
}
