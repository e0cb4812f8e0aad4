import type { Producer } from 'kafkajs';
import type { DataSource, QueryRunner } from 'typeorm';
import { logger } from '@vrs/observability';
import { WakeableSleep } from '../polling/wakeable-sleep';

/** Channel on which every transaction that writes outbox rows notifies at commit (see enqueueEvents). */
export const OUTBOX_CHANNEL = 'vrs_outbox';

export interface OutboxRelayOptions {
  /** Distinguishes the relay's advisory lock; one relay per service database publishes at a time. */
  lockKey: number;
  /** How often the lock holder looks for rows anyway (a notification lost while its connection was down). */
  pollIntervalMs?: number;
  batchSize?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: Record<string, unknown>;
}

interface NotifyingClient {
  on(event: 'notification', listener: () => void): unknown;
  removeListener(event: 'notification', listener: () => void): unknown;
}

/**
 * Publishes outbox rows in insertion order, then deletes them. Only the instance holding the
 * Postgres advisory lock publishes, so order per key survives several instances of a service.
 * It publishes as soon as a transaction that wrote rows commits, in whichever instance: such a
 * transaction NOTIFYs `vrs_outbox`, which PostgreSQL delivers on commit (never on rollback) to the
 * lock holder's LISTEN; polling remains as the fallback.
 * A crash between send and delete re-sends: consumers de-duplicate by event id.
 */
export class OutboxRelay {
  private readonly log = logger('outbox-relay');
  private runner?: QueryRunner;
  private client?: NotifyingClient;
  private running = false;
  private loop?: Promise<void>;
  /** A wake-up that comes while a drain runs is kept: the loop drains again before it sleeps. */
  private readonly pause = new WakeableSleep();
  private readonly onNotification = () => this.wake();

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly options: OutboxRelayOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Publish soon: called after a transaction that enqueued events commits. */
  wake(): void {
    this.pause.wake();
  }

  /** Stops polling after one last best-effort drain, and gives the lock to another instance. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.drainOnce().catch(() => 0);
    await this.releaseLock();
  }

  /** Publishes what is pending, batch after batch until one comes back short (used by tests and at shutdown); returns how many were sent. */
  async drainOnce(): Promise<number> {
    if (!(await this.holdLock())) return 0;
    const batchSize = this.options.batchSize ?? 500;
    let total = 0;
    for (;;) {
      const rows: OutboxRow[] = await this.runner!.query('SELECT id, topic, message_key, payload FROM outbox ORDER BY id LIMIT $1', [batchSize]);
      if (rows.length === 0) return total;
      await this.publish(rows);
      await this.runner!.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      total += rows.length;
      // A short batch was all there was: rows committed since then NOTIFY, and the loop drains again.
      if (rows.length < batchSize) return total;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.drainOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.log.warn('outbox publish failed; will retry', { error: (error as Error).message, failures });
        await this.releaseLock();
        // After a failure the backoff is waited out, unless a new wake-up comes during it.
        this.pause.forget();
      }
      const idle = this.runner ? (this.options.pollIntervalMs ?? 1_000) : 1_000;
      await this.pause.sleep(failures === 0 ? idle : Math.min(idle * 2 ** Math.min(failures, 5), 10_000));
    }
  }

  private async publish(rows: OutboxRow[]): Promise<void> {
    // One batch per call keeps the rows' order within each topic-partition.
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.message_key, value: JSON.stringify(row.payload) });
      byTopic.set(row.topic, messages);
    }
    await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }

  private async holdLock(): Promise<boolean> {
    if (this.runner) return true;
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as NotifyingClient;
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [this.options.lockKey]);
    if (!locked) {
      await runner.release();
      return false;
    }
    client.on('notification', this.onNotification);
    this.runner = runner;
    this.client = client;
    await runner.query(`LISTEN ${OUTBOX_CHANNEL}`);
    return true;
  }

  private async releaseLock(): Promise<void> {
    const { runner, client } = this;
    this.runner = undefined;
    this.client = undefined;
    if (!runner) return;
    try {
      // The connection goes back to the pool: it must stop listening and hold no lock there.
      await runner.query(`UNLISTEN ${OUTBOX_CHANNEL}`);
      await runner.query('SELECT pg_advisory_unlock($1)', [this.options.lockKey]);
    } catch {
      // The connection is gone, and the lock and the LISTEN with it.
    }
    client?.removeListener('notification', this.onNotification);
    await runner.release().catch(() => undefined);
  }
}
