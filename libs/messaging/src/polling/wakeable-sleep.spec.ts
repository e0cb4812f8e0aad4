import { WakeableSleep } from './wakeable-sleep';

describe('WakeableSleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const settled = async (promise: Promise<void>) => {
    let done = false;
    void promise.then(() => {
      done = true;
    });
    await Promise.resolve();
    return () => done;
  };

  it('sleeps the given time unless woken, and a wake ends the sleep at once', async () => {
    const pause = new WakeableSleep();
    const timed = await settled(pause.sleep(1_000));
    jest.advanceTimersByTime(999);
    await Promise.resolve();
    expect(timed()).toBe(false);
    jest.advanceTimersByTime(1);
    await Promise.resolve();
    expect(timed()).toBe(true);

    const woken = await settled(pause.sleep(60_000));
    pause.wake();
    await Promise.resolve();
    expect(woken()).toBe(true);
  });

  it('keeps a wake that came while awake for the next sleep only', async () => {
    const pause = new WakeableSleep();
    pause.wake();
    pause.wake();
    expect(await settled(pause.sleep(60_000)).then((done) => Promise.resolve().then(done))).toBe(true);
    const next = await settled(pause.sleep(60_000));
    await Promise.resolve();
    expect(next()).toBe(false);
    expect(jest.getTimerCount()).toBe(1);
  });

  it('forgets a kept wake when told to, and is still woken during the sleep after', async () => {
    const pause = new WakeableSleep();
    pause.wake();
    pause.forget();
    const next = await settled(pause.sleep(60_000));
    await Promise.resolve();
    expect(next()).toBe(false);
    pause.wake();
    await Promise.resolve();
    expect(next()).toBe(true);
  });
});
