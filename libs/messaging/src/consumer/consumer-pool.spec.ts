import { ConsumerPool } from './consumer-pool';
import type { IncomingMessage } from './incoming-message';

/** A handler whose end the test decides. */
function gate() {
  let open!: (commit: boolean) => void;
  const done = new Promise<boolean>((resolve) => {
    open = resolve;
  });
  return { open, done };
}

const message = (offset: number, key: string | null, partition = 0): IncomingMessage => ({
  topic: 't',
  partition,
  offset: String(offset),
  key,
  value: null,
  timestamp: '0',
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ConsumerPool', () => {
  const heartbeat = async () => undefined;
  let commits: string[];
  let pool: ConsumerPool;
  const shutdown = new AbortController();
  const submit = (m: IncomingMessage, work: () => Promise<boolean>) => pool.submit(m, work, { heartbeat, signal: shutdown.signal });

  beforeEach(() => {
    commits = [];
    pool = new ConsumerPool(3, async (topic, partition, offset) => {
      commits.push(`${topic}/${partition}@${offset}`);
    });
  });

  it('runs as many messages of one partition at once as its capacity, and no more', async () => {
    const gates = [gate(), gate(), gate(), gate()];
    const running: number[] = [];
    const admitted = gates.map((g, i) =>
      submit(message(i, `job-${i}`), () => {
        running.push(i);
        return g.done;
      }),
    );
    await Promise.all(admitted.slice(0, 3));
    await flush();
    expect(running).toEqual([0, 1, 2]);
    let fourthAdmitted = false;
    void admitted[3].then(() => {
      fourthAdmitted = true;
    });
    await flush();
    expect(fourthAdmitted).toBe(false);
    gates[1].open(true);
    await admitted[3];
    await flush();
    expect(running).toEqual([0, 1, 2, 3]);
    for (const g of gates) g.open(true);
    await pool.settled();
  });

  it('commits a later message only once every earlier one of its partition is done', async () => {
    const early = gate();
    const late = gate();
    await submit(message(10, 'a'), () => early.done);
    await submit(message(11, 'b'), () => late.done);
    late.open(true);
    await flush();
    expect(commits).toEqual([]);
    early.open(true);
    await pool.settled();
    expect(commits).toEqual(['t/0@12']);
  });

  it('never commits past a message that was abandoned', async () => {
    await submit(message(3, 'a'), async () => false);
    await submit(message(4, 'b'), async () => true);
    await pool.settled();
    expect(commits).toEqual([]);
  });

  it('runs messages with the same key one after the other, in arrival order', async () => {
    const order: string[] = [];
    const first = gate();
    await submit(message(1, 'job'), async () => {
      order.push('first started');
      const r = await first.done;
      order.push('first ended');
      return r;
    });
    await submit(message(2, 'job'), async () => {
      order.push('second started');
      return true;
    });
    await submit(message(3, 'other'), async () => {
      order.push('other started');
      return true;
    });
    await flush();
    expect(order).toEqual(['first started', 'other started']);
    first.open(true);
    await pool.settled();
    expect(order).toEqual(['first started', 'other started', 'first ended', 'second started']);
    expect(commits.at(-1)).toBe('t/0@4');
  });

  it('runs a message whose handler threw again, holding later commits until it succeeds', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      let attempts = 0;
      await submit(message(1, 'a'), async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('database unreachable');
        return true;
      });
      await submit(message(2, 'b'), async () => true);
      await flush();
      expect(commits).toEqual([]);
      await jest.advanceTimersByTimeAsync(1_000);
      await pool.settled();
      expect(attempts).toBe(2);
      expect(commits).toEqual(['t/0@3']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('admits nothing more once shutdown begins: a message waiting for a slot is neither run nor committed', async () => {
    const local = new AbortController();
    const hold = [gate(), gate(), gate()];
    for (const [i, g] of hold.entries()) await pool.submit(message(i, `k${i}`), () => g.done, { heartbeat, signal: local.signal });
    let ran = false;
    const waiting = pool.submit(
      message(3, 'k3'),
      async () => {
        ran = true;
        return true;
      },
      { heartbeat, signal: local.signal },
    );
    local.abort();
    expect(await waiting).toBe(false);
    for (const g of hold) g.open(false);
    await pool.settled();
    expect(ran).toBe(false);
    expect(commits).toEqual([]);
    expect(pool.busy).toBe(0);
  });
});
