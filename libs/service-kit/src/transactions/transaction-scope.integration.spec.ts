import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TOPICS } from '@vrs/contracts';
import type { OutboxRelay } from '@vrs/messaging';
import { testDataSource } from '@vrs/testing';
import { OutboxEvents } from './outbox-events';
import { TransactionScope } from './transaction-scope';

describe('TransactionScope and OutboxEvents (real PostgreSQL)', () => {
  let db: DataSource;
  let scope: TransactionScope;
  let outbox: OutboxEvents;
  let wakes = 0;
  // Nothing relays this file's outbox, so every run names its own jobs.
  const run = randomUUID().slice(0, 8);
  const cancel = (name: string) => outbox.publish(TOPICS.jobCancelRequested, `${name}-${run}`, { jobId: `${name}-${run}`, tenantId: 't', reason: 'spec' });
  const published = async (name: string) => (await db.query('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [`${name}-${run}`]))[0].n;

  beforeAll(async () => {
    db = await testDataSource('vrs_service_kit_scope_test');
    scope = new TransactionScope(db);
    outbox = new OutboxEvents(scope, {
      wake: () => {
        wakes += 1;
      },
    } as unknown as OutboxRelay);
  });
  afterAll(() => db.destroy());

  it('commits what the ports did inside run together, and wakes the relay only after the commit', async () => {
    const before = wakes;
    await scope.run(async () => {
      await cancel('scope-a');
      await cancel('scope-a');
      expect(wakes).toBe(before);
      // A read through the scope sees the transaction's own writes; another connection does not yet.
      expect((await scope.manager.query('SELECT count(*)::int AS n FROM outbox WHERE message_key = $1', [`scope-a-${run}`]))[0].n).toBe(2);
      expect(await published('scope-a')).toBe(0);
    });
    expect(await published('scope-a')).toBe(2);
    expect(wakes).toBeGreaterThan(before);
  });

  it('keeps nothing, and wakes nobody, when the work throws', async () => {
    const before = wakes;
    await expect(
      scope.run(async () => {
        await cancel('scope-b');
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(await published('scope-b')).toBe(0);
    expect(wakes).toBe(before);
  });

  it("writes inside someone else's transaction when joined to it (the inbox's), and rolls back with it", async () => {
    await expect(
      db.transaction((manager) =>
        scope.join(manager, async () => {
          await cancel('scope-c');
          throw new Error('inbox rolled back');
        }),
      ),
    ).rejects.toThrow();
    expect(await published('scope-c')).toBe(0);
    await db.transaction((manager) => scope.consuming({ transaction: (work) => work(manager) }).run(() => cancel('scope-c')));
    expect(await published('scope-c')).toBe(1);
  });

  it('keeps concurrent use cases in transactions of their own', async () => {
    const results = await Promise.allSettled([
      scope.run(async () => {
        await cancel('scope-d');
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('one fails');
      }),
      scope.run(async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await cancel('scope-e');
      }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect([await published('scope-d'), await published('scope-e')]).toEqual([0, 1]);
  });
});
