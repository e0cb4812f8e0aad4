import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { onConsumerDeath, reportConsumerDeath } from './consumer-deaths';

/** The part of a kafkajs consumer that reportConsumerDeath listens to. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const events = { CRASH: 'consumer.crash' };
  const consumer = { events, on: (name: string, listener: (event: unknown) => void) => emitter.on(name, listener) } as unknown as Consumer;
  return { consumer, crash: (message: string, restart: boolean) => emitter.emit(events.CRASH, { payload: { error: new Error(message), restart } }) };
}

describe('consumer deaths', () => {
  it('are reported when kafkajs will not restart a consumer, and not for a crash it restarts', () => {
    const deaths: string[] = [];
    const stop = onConsumerDeath((reason) => deaths.push(reason));
    const { consumer, crash } = fakeConsumer();
    reportConsumerDeath(consumer, 'render-adapter');

    crash('The coordinator is loading and hence cannot process requests', true);
    expect(deaths).toEqual([]);
    crash('Failed to find group coordinator', false);
    expect(deaths).toEqual(['render-adapter: Failed to find group coordinator']);

    stop();
    crash('Failed to find group coordinator', false);
    expect(deaths).toHaveLength(1);
  });
});
