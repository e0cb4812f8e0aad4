import { waitFor } from '@vrs/testing';
import { TEST_LIMITS } from '../../testing/orchestrator-harness';
import type { ReconcileDeadlinesHandler } from './reconcile-deadlines.handler';
import { ReconcileDeadlinesScheduler } from './reconcile-deadlines.scheduler';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// The handler is faked (a port): what is checked is the scheduling, over real timers.
describe('the reconcile scheduler', () => {
  it('keeps running passes after one fails, never two at once, and waits for the pass in flight at shutdown', async () => {
    let passes = 0;
    let running = 0;
    let mostAtOnce = 0;
    const handler = {
      reconcile: async () => {
        passes += 1;
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(25); // longer than the interval: ticks come while a pass runs
        running -= 1;
        if (passes === 1) throw new Error('connection terminated');
        return { redriven: 0, expired: 0 };
      },
    } as unknown as ReconcileDeadlinesHandler;
    const scheduler = new ReconcileDeadlinesScheduler(handler, { intervalMs: 5, tombstoneTtlHours: 1 }, TEST_LIMITS);
    scheduler.onApplicationBootstrap();
    try {
      await waitFor(() => (passes >= 3 ? true : undefined), 5_000, 'three passes', 5);
    } finally {
      await scheduler.onApplicationShutdown();
    }
    expect(running).toBe(0);
    expect(mostAtOnce).toBe(1);
    const after = passes;
    await sleep(30);
    expect(passes).toBe(after);
  });
});
