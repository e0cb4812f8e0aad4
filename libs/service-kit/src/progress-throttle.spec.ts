import { ProgressThrottle, type ProgressThrottleOptions } from './progress-throttle';

/** A throttle that records what it publishes. */
function recording(options: ProgressThrottleOptions) {
  const sent: number[] = [];
  const progress = new ProgressThrottle(async (fraction) => void sent.push(fraction), options);
  return { sent, progress };
}

describe('ProgressThrottle', () => {
  it('publishes progress forward only (0 is no progress), at most once per interval, and never the end', async () => {
    const clock = { now: 10_000 };
    const { sent, progress } = recording({ intervalMs: 1_000, now: () => clock.now });
    await progress.report(0);
    await progress.report(0.2);
    await progress.report(0.25);
    clock.now += 1_000;
    await progress.report(0.1);
    await progress.report(0.3);
    clock.now += 999;
    await progress.report(0.5);
    clock.now += 1;
    await progress.report(1);
    await progress.report(0.6);
    expect(sent).toEqual([0.2, 0.3, 0.6]);
  });

  it('publishes nothing in its quiet start, then the progress reached by then at once', async () => {
    const clock = { now: 10_000 };
    const { sent, progress } = recording({ intervalMs: 1_000, quietFirstMs: 1_000, now: () => clock.now });
    await progress.report(0.2);
    clock.now += 999;
    await progress.report(0.4);
    expect(sent).toEqual([]);
    clock.now += 1;
    await progress.report(0.5);
    await progress.report(0.6);
    expect(sent).toEqual([0.5]);
    progress.stop();
  });

  describe('with a clock that timers follow', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('publishes what its quiet start held back when that ends, so work stalled in it shows it started', async () => {
      const { sent, progress } = recording({ quietFirstMs: 1_000 });
      await progress.report(0.1);
      await progress.report(0.3);
      await jest.advanceTimersByTimeAsync(999);
      expect(sent).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(sent).toEqual([0.3]);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(sent).toEqual([0.3]);
    });

    it('publishes nothing held back once stopped: the work ended in its quiet start', async () => {
      const { sent, progress } = recording({ quietFirstMs: 1_000 });
      await progress.report(0.5);
      progress.stop();
      await jest.advanceTimersByTimeAsync(2_000);
      expect(sent).toEqual([]);
    });
  });
});
