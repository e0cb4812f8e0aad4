import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';

const deaths = new EventEmitter();

/**
 * Reports when kafkajs gives up on `consumer` (a crash it will not restart, e.g. "Failed to find
 * group coordinator" while a broker restarts): from then on only a fresh process consumes again.
 * The service bootstrap listens (onConsumerDeath) and ends the instance so that its supervisor starts one.
 */
export function reportConsumerDeath(consumer: Consumer, name: string): void {
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) deaths.emit('dead', `${name}: ${String(event.payload.error?.message)}`);
  });
}

/** Calls `listener` with the consumer's name and error each time a reported consumer stops for good. */
export function onConsumerDeath(listener: (reason: string) => void): () => void {
  deaths.on('dead', listener);
  return () => deaths.off('dead', listener);
}
