import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { HealthState } from './health';

/** The part of a kafkajs consumer HealthState listens to. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const events = { GROUP_JOIN: 'group_join', CRASH: 'crash', STOP: 'stop' };
  const consumer = { events, on: (name: string, listener: (event: unknown) => void) => emitter.on(name, listener) } as unknown as Consumer;
  const crash = (message: string, restart: boolean) => emitter.emit(events.CRASH, { payload: { error: new Error(message), restart } });
  return { consumer, crash, join: () => emitter.emit(events.GROUP_JOIN, {}) };
}

describe('HealthState', () => {
  it('tells the service once when kafkajs will not restart its consumer, and not for a crash it restarts', () => {
    const state = new HealthState();
    const dead: string[] = [];
    state.onConsumerDead = (reason) => dead.push(reason);
    const { consumer, crash, join } = fakeConsumer();
    state.watch(consumer);
    join();

    crash('The coordinator is loading', true);
    expect(dead).toEqual([]);
    expect(state.consumerDeadFor).toBeUndefined();
    expect(state.consumerProblem).toBe('The coordinator is loading');

    crash('Failed to find group coordinator', false);
    crash('Failed to find group coordinator', false);
    expect(dead).toEqual(['Failed to find group coordinator']);
    expect(state.consumerDeadFor).toBe('Failed to find group coordinator');
  });
});
