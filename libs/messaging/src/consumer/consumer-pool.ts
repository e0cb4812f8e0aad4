import { setTimeout as sleep } from 'node:timers/promises';
import { logger } from '@vrs/observability';
import { GROUP_TIMING } from '../kafka/kafka-client';
import { InOrderOffsets } from './in-order-offsets';
import { messageRef, type IncomingMessage } from './incoming-message';

export interface PoolSubmission {
  /** Keeps the consumer in its group while the message waits for a free slot. */
  heartbeat: () => Promise<void>;
  /** Shutdown: a message still waiting for a slot is not started (nor committed). */
  signal: AbortSignal;
}

/** Handles one message; resolves true when its offset may be committed, false when it was abandoned (redeliver it). */
export type PooledWork = () => Promise<boolean>;

export type CommitOffset = (topic: string, partition: number, offset: string) => Promise<void>;

const RETRY_DELAY_MS = { initial: 1_000, max: 30_000 };

/**
 * Runs up to `capacity` messages of one consumer at once, whatever partitions they come from: the
 * consumer hands a message over and fetches the next as soon as there is a free slot, so parallelism is
 * the worker's capacity, not the number of partitions it was assigned. Two rules keep it correct:
 * - messages with the same key (a job id) run one after the other, in the order they arrived;
 * - an offset is committed only when every earlier message of its partition is done (InOrderOffsets),
 *   so a crash redelivers whatever was unfinished, and the inbox skips what had already been done.
 */
export class ConsumerPool {
  private readonly log = logger('consumer-pool');
  private readonly offsets = new InOrderOffsets();
  private readonly keyTails = new Map<string, Promise<void>>();
  private readonly waiting: Array<() => void> = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly commits = new Map<string, Promise<void>>();
  private taken = 0;

  constructor(
    private readonly capacity: number,
    private readonly commit: CommitOffset,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`a consumer's capacity must be a whole number ≥ 1, not ${capacity}`);
  }

  /** Messages admitted and not yet done (running, or waiting behind an earlier one of their key). */
  get busy(): number {
    return this.taken;
  }

  /**
   * Waits for a free slot, then starts `work` (after any earlier message with the same key) and returns
   * without waiting for it. Resolves false, starting nothing, when shutdown comes first.
   */
  async submit(message: IncomingMessage, work: PooledWork, { heartbeat, signal }: PoolSubmission): Promise<boolean> {
    if (!(await this.slot(heartbeat, signal))) return false;
    const ticket = this.offsets.enter(message.topic, message.partition, message.offset);
    const key = message.key === null ? null : message.key.toString();
    const previous = key === null ? undefined : this.keyTails.get(key);
    const task = (async () => {
      try {
        await previous;
        if (await this.runUntilSettled(message, work, signal)) {
          const next = this.offsets.finish(ticket);
          if (next !== undefined) await this.commitInOrder(message.topic, message.partition, next);
        }
      } catch (error) {
        this.log.error('pooled message failed', { ref: messageRef(message), error: (error as Error).message });
      } finally {
        this.release();
      }
    })();
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
    if (key !== null) {
      this.keyTails.set(key, task);
      void task.finally(() => {
        if (this.keyTails.get(key) === task) this.keyTails.delete(key);
      });
    }
    return true;
  }

  /** The group assigned partitions anew; work in flight continues, but commits start from what is redelivered. */
  reassigned(): void {
    this.offsets.reassigned();
  }

  /** Resolves when every admitted message has finished or been abandoned. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * A handler that throws (the database or broker unreachable before the inbox could answer) is run
   * again after a pause, as the consumer would redeliver it; until then later offsets stay uncommitted.
   */
  private async runUntilSettled(message: IncomingMessage, work: PooledWork, signal: AbortSignal): Promise<boolean> {
    for (let delay = RETRY_DELAY_MS.initial; ; delay = Math.min(delay * 2, RETRY_DELAY_MS.max)) {
      if (signal.aborted) return false;
      try {
        return await work();
      } catch (error) {
        if (signal.aborted) return false;
        this.log.warn('message handling failed; trying again', { ref: messageRef(message), delayMs: delay, error: (error as Error).message });
        await sleep(delay, undefined, { signal }).catch(() => undefined); // shutdown ends the pause
      }
    }
  }

  /** Commits of one partition go out one after the other, so a lower offset never lands after a higher one. */
  private commitInOrder(topic: string, partition: number, offset: string): Promise<void> {
    const key = `${topic}/${partition}`;
    const next = (this.commits.get(key) ?? Promise.resolve())
      .then(() => this.commit(topic, partition, offset))
      .catch((error) => {
        // Lost the partition in a rebalance: the next owner redelivers and the inbox makes it a no-op.
        this.log.warn('offset commit failed', { ref: `${key}@${offset}`, error: (error as Error).message });
      });
    this.commits.set(key, next);
    void next.finally(() => {
      if (this.commits.get(key) === next) this.commits.delete(key);
    });
    return next;
  }

  private slot(heartbeat: () => Promise<void>, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.taken < this.capacity) {
      this.taken += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const beat = setInterval(() => heartbeat().catch(() => undefined), GROUP_TIMING.heartbeatInterval);
      const done = (admitted: boolean) => {
        clearInterval(beat);
        signal.removeEventListener('abort', abort);
        resolve(admitted);
      };
      const admit = () => done(true); // the finished message's slot passes straight to this one
      const abort = () => {
        this.waiting.splice(this.waiting.indexOf(admit), 1);
        done(false);
      };
      this.waiting.push(admit);
      signal.addEventListener('abort', abort, { once: true });
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.taken -= 1;
  }
}
