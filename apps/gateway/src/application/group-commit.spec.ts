import type { EntityManager } from 'typeorm';
import { GroupCommit } from './group-commit';

/** The transaction is the port here: each call is one transaction, held open until `release()`. */
function fakeDatabase() {
  const transactions: Array<{ items: number[]; release: () => void }> = [];
  const transaction = <R>(work: (manager: EntityManager) => Promise<R>) =>
    new Promise<R>((resolve, reject) => {
      const entry = { items: [] as number[], release: () => undefined as void };
      transactions.push(entry);
      const manager = { entry } as unknown as EntityManager;
      entry.release = () => void work(manager).then(resolve, reject);
    });
  return { transactions, transaction };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes alone when idle, and what arrives meanwhile together in the next transaction', async () => {
    const db = fakeDatabase();
    const written: number[][] = [];
    const group = new GroupCommit<number>(
      db.transaction,
      async (_, items) => {
        written.push(items);
      },
      { maxItems: 100, maxInFlight: 1 },
    );
    const done: number[] = [];
    const first = group.add(0).then(() => done.push(0));
    const rest = Array.from({ length: 5 }, (_, n) => group.add(n + 1).then(() => done.push(n + 1)));
    expect(db.transactions).toHaveLength(1);
    db.transactions[0].release();
    await first;
    expect(done).toEqual([0]); // the others wait for their own commit
    expect(db.transactions).toHaveLength(2);
    db.transactions[1].release();
    await Promise.all(rest);
    expect(written).toEqual([[0], [1, 2, 3, 4, 5]]);
  });

  it('opens up to maxInFlight transactions at once and puts at most maxItems in each', async () => {
    const db = fakeDatabase();
    const written: number[][] = [];
    const group = new GroupCommit<number>(
      db.transaction,
      async (_, items) => {
        written.push(items);
      },
      { maxItems: 3, maxInFlight: 2 },
    );
    const all = Array.from({ length: 8 }, (_, n) => group.add(n));
    expect(db.transactions).toHaveLength(2);
    for (let released = 0; released < db.transactions.length; released++) {
      db.transactions[released].release();
      await settled();
    }
    await Promise.all(all);
    expect(written).toEqual([[0], [1], [2, 3, 4], [5, 6, 7]]);
  });

  it('fails only the caller whose item fails: a failed group is retried item by item', async () => {
    const written: number[][] = [];
    let open = 0;
    const transaction = async <R>(work: (manager: EntityManager) => Promise<R>) => {
      open += 1;
      try {
        await settled();
        return await work({} as EntityManager);
      } finally {
        open -= 1;
      }
    };
    const group = new GroupCommit<number>(
      transaction,
      async (_, items) => {
        if (items.includes(13)) throw new Error('13 is refused');
        written.push(items);
      },
      { maxItems: 10, maxInFlight: 1 },
    );
    const outcomes = await Promise.allSettled([1, 2, 13, 4].map((n) => group.add(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).toBe('13 is refused');
    expect(written).toEqual([[1], [2], [4]]);
    expect(open).toBe(0);
  });
});
