import { hostname } from 'node:os';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS, validateEvent } from '@vrs/contracts';
import { logger, withLogContext } from '@vrs/observability';
import { createKafka, GROUP_TIMING } from '../kafka/kafka-client';
import { MESSAGING_OPTIONS, type MessagingOptions } from '../nest/messaging.tokens';
import { RunningJobs } from './running-jobs';

/**
 * Every instance of a worker service hears every cancel (a consumer group of its own), because the
 * work to stop may run on any of them and must not wait behind long work on the same partition.
 * Cancels are also recorded in the service's `cancelled_jobs` table, so a request that arrives
 * later is skipped (`isCancelled`).
 */
@Injectable()
export class CancellationWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = logger('cancellation-watcher');
  private consumer?: Consumer;

  constructor(private readonly dataSource: DataSource, private readonly running: RunningJobs, @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions) {}

  async onApplicationBootstrap(): Promise<void> {
    const kafka = createKafka({ ...this.options.kafka, clientId: `${this.options.clientId}-cancellations` });
    this.consumer = kafka.consumer({ groupId: `${this.options.clientId}-cancel-${hostname()}-${process.pid}`, ...GROUP_TIMING });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPICS.jobCancelRequested, fromBeginning: false });
    await this.consumer.run({ eachMessage: ({ message }) => this.onCancel(message.value?.toString() ?? '') });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  async isCancelled(jobId: string): Promise<boolean> {
    return (await this.dataSource.query('SELECT 1 FROM cancelled_jobs WHERE job_id = $1', [jobId])).length > 0;
  }

  private async onCancel(value: string): Promise<void> {
    let parsed: unknown;
    try { parsed = JSON.parse(value); } catch { return; } // the orchestrator's consumer dead-letters it
    const validation = validateEvent(TOPICS.jobCancelRequested, parsed);
    if (!validation.ok) return;
    const { jobId } = validation.value;
    await withLogContext({ jobId }, async () => {
      await this.dataSource.query('INSERT INTO cancelled_jobs (job_id) VALUES ($1) ON CONFLICT DO NOTHING', [jobId]);
      if (this.running.cancel(jobId)) this.log.info('running work cancelled');
    });
  }
}
