import { hostname } from 'node:os';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS, validateEvent } from '@vrs/contracts';
import { createKafka, MESSAGING_OPTIONS, type MessagingOptions } from '@vrs/messaging';
import { logger, withLogContext } from '@vrs/observability';
import { RunningRenders } from '../../infrastructure/running-renders';

/**
 * Every instance hears every cancel (a consumer group of its own), because the render to stop may
 * run on any of them and must not wait behind the render in progress. Cancels are also recorded,
 * so a render request that arrives later is skipped.
 */
@Injectable()
export class CancellationWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = logger('cancellation-watcher');
  private consumer?: Consumer;

  constructor(private readonly dataSource: DataSource, private readonly running: RunningRenders, @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions) {}

  async onApplicationBootstrap(): Promise<void> {
    const kafka = createKafka({ brokers: this.options.brokers, clientId: 'render-adapter-cancellations' });
    this.consumer = kafka.consumer({ groupId: `render-adapter-cancel-${hostname()}-${process.pid}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: TOPICS.jobCancelRequested, fromBeginning: false });
    await this.consumer.run({ eachMessage: ({ message }) => this.onCancel(message.value?.toString() ?? '') });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async onCancel(value: string): Promise<void> {
    let parsed: unknown;
    try { parsed = JSON.parse(value); } catch { return; } // the orchestrator's consumer dead-letters it
    const validation = validateEvent(TOPICS.jobCancelRequested, parsed);
    if (!validation.ok) return;
    const { jobId } = validation.value;
    await withLogContext({ jobId }, async () => {
      await this.dataSource.query('INSERT INTO cancelled_jobs (job_id) VALUES ($1) ON CONFLICT DO NOTHING', [jobId]);
      if (this.running.cancel(jobId)) this.log.info('running render cancelled');
    });
  }
}
