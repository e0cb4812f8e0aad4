import type { Producer } from 'kafkajs';
import type { DataSource, QueryRunner } from 'typeorm';
import { logger } from '@vrs/observability';

export interface OutboxRelayOptions {
  /** Distinguishes the relay's advisory lock; one relay per service database publishes at a time. */
  lockKey: number;
  pollIntervalMs?: number;
  batchSize?: number;
}

interface OutboxRow { id: string; topic: string; message_key: string; payload: Record<string, unknown> }

/**
 * Publishes outbox rows in insertion order, then deletes them. Only the instance holding the
 * Postgres advisory lock publishes, so order per key survives several instances of a service.
 * A crash between send and delete re-sends: consumers de-duplicate by event id.
 */
export class OutboxRelay {
  private readonly log = logger('outbox-relay');
  private runner?: QueryRunner;
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(private readonly dataSource: DataSource, private readonly producer: Producer, private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Publish soon: called after a transaction that enqueued events commits. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops polling after one last best-effort drain, and gives the lock to another instance. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.drainOnce().catch(() => 0);
    await this.releaseLock();
  }

  /** Publishes everything pending now (used by tests and at shutdown); returns how many were sent. */
  async drainOnce(): Promise<number> {
    if (!(await this.holdLock())) return 0;
    let total = 0;
    for (;;) {
      const rows: OutboxRow[] = await this.runner!.query(
        'SELECT id, topic, message_key, payload FROM outbox ORDER BY id LIMIT $1', [this.options.batchSize ?? 500]);
      if (rows.length === 0) return total;
      await this.publish(rows);
      await this.runner!.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      total += rows.length;
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
      }
      const idle = this.runner ? this.options.pollIntervalMs ?? 100 : 1000;
      await this.sleep(Math.min(idle * 2 ** Math.min(failures, 5), 10_000));
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
    await runner.connect();
    const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [this.options.lockKey]);
    if (!locked) {
      await runner.release();
      return false;
    }
    this.runner = runner;
    return true;
  }

  private async releaseLock(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (!runner) return;
    try {
      await runner.query('SELECT pg_advisory_unlock($1)', [this.options.lockKey]);
    } catch {
      // The connection is gone, and the lock with it.
    }
    await runner.release().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => { clearTimeout(timer); resolve(); };
    });
  }
}
