import type { Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventOf, SchemaTopic } from '@vrs/contracts';
import { logger, withLogContext } from '@vrs/observability';
import { GROUP_TIMING } from '../kafka/kafka-client';
import { inboxDuplicatesSkipped } from '../metrics/messaging-metrics';
import { sendToDeadLetter } from './dead-letter';
import { messageRef, type IncomingMessage } from './incoming-message';
import { databaseReachable, eventIdOf, parseEvent } from './parse-event';

export interface RetryPolicy {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

/** The effect of one event; `transaction` records the event as consumed in the same transaction. */
export interface UnitOfWork {
  transaction<R>(work: (manager: EntityManager) => Promise<R>): Promise<R>;
}

export type EventHandler<T extends SchemaTopic> = (event: EventOf<T>, work: UnitOfWork, message: IncomingMessage) => Promise<void>;

/** A handler throws this when retrying cannot help (bad data discovered late): straight to the DLQ. */
export class PermanentFailure extends Error {}

class AlreadyProcessed extends Error {}

export type Outcome = 'processed' | 'duplicate' | 'dead-lettered' | 'abandoned';

export interface ProcessorOptions {
  dataSource: DataSource;
  producer: Producer;
  /** The consumer group; inbox entries are per consumer. */
  consumer: string;
  retry?: RetryPolicy;
  /** Called while work runs so the broker keeps the member in its group. */
  heartbeat?: () => Promise<void>;
  /** When aborted (shutdown), work in flight is abandoned: not committed, redelivered later. */
  shutdown?: AbortSignal;
}

const backoff = (policy: RetryPolicy, attempt: number) => Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

/**
 * Turns one Kafka record into at most one effect: parse → validate (failures go to the DLQ and
 * the consumer moves on) → skip if already in the inbox → handle, retrying transient errors with
 * backoff, a bounded number of times, then DLQ. While the database cannot be reached it throws
 * instead, and the caller tries again later. The caller commits the offset after this returns.
 */
export class MessageProcessor {
  private readonly log = logger('message-processor');

  constructor(private readonly options: ProcessorOptions) {}

  async process<T extends SchemaTopic>(message: IncomingMessage, handler: EventHandler<T>): Promise<Outcome> {
    const parsed = parseEvent<T>(message);
    if (!parsed.ok) {
      await sendToDeadLetter(this.options.producer, this.options.consumer, message, parsed);
      return 'dead-lettered';
    }
    const event = parsed.event;
    const eventId = eventIdOf(event, message);
    const jobId = (event as { jobId?: string }).jobId;
    const outcome = await withLogContext({ jobId }, () => this.handleWithRetries(message, event, eventId, handler));
    if (outcome === 'duplicate') inboxDuplicatesSkipped.inc({ topic: message.topic });
    return outcome;
  }

  private async handleWithRetries<T extends SchemaTopic>(
    message: IncomingMessage,
    event: EventOf<T>,
    eventId: string,
    handler: EventHandler<T>,
  ): Promise<Outcome> {
    const policy = this.options.retry ?? DEFAULT_RETRY;
    const stopHeartbeat = this.keepAlive();
    try {
      if (await this.alreadyProcessed(eventId)) return 'duplicate';
      for (let attempt = 1; ; attempt++) {
        try {
          await handler(event, this.unitOfWork(eventId), message);
          return 'processed';
        } catch (error) {
          if (error instanceof AlreadyProcessed) return 'duplicate';
          if (this.options.shutdown?.aborted) return 'abandoned';
          // An outage is not the message's fault, however long it lasts: the caller runs it again later
          // (the pool, or kafkajs for a side consumer) instead of spending its attempts and dead-lettering it.
          if (!(error instanceof PermanentFailure) && !(await databaseReachable(this.options.dataSource))) throw error;
          const reason = (error as Error).message;
          if (error instanceof PermanentFailure || attempt >= policy.attempts) {
            await sendToDeadLetter(
              this.options.producer,
              this.options.consumer,
              message,
              error instanceof PermanentFailure
                ? { cause: 'permanent_failure', reason }
                : { cause: 'retries_exhausted', reason: `handling failed after ${attempt} attempts: ${reason}` },
            );
            return 'dead-lettered';
          }
          this.log.warn('handling failed; retrying', { ref: messageRef(message), attempt, error: reason });
          await new Promise((resolve) => setTimeout(resolve, backoff(policy, attempt)));
        }
      }
    } finally {
      stopHeartbeat();
    }
  }

  private async alreadyProcessed(eventId: string): Promise<boolean> {
    const rows = await this.options.dataSource.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [this.options.consumer, eventId]);
    return rows.length > 0;
  }

  private unitOfWork(eventId: string): UnitOfWork {
    const { dataSource, consumer } = this.options;
    return {
      transaction: (work) =>
        dataSource.transaction(async (manager) => {
          const inserted = await manager.query('INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id', [
            consumer,
            eventId,
          ]);
          if (inserted.length === 0) throw new AlreadyProcessed();
          return work(manager);
        }),
    };
  }

  private keepAlive(): () => void {
    const { heartbeat } = this.options;
    if (!heartbeat) return () => undefined;
    const timer = setInterval(() => heartbeat().catch(() => undefined), GROUP_TIMING.heartbeatInterval);
    return () => clearInterval(timer);
  }
}
