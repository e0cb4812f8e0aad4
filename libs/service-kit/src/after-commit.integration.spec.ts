import type { DataSource } from 'typeorm';
import { testDataSource } from '@vrs/testing';
import { afterCommit } from './after-commit';

describe('afterCommit (real PostgreSQL)', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await testDataSource('vrs_service_kit_test');
  });
  afterAll(() => db.destroy());

  it('runs a hook once its transaction commits, not before, and never for one that rolled back', async () => {
    const ran: string[] = [];
    await db.transaction(async (manager) => {
      afterCommit(manager, () => ran.push('committed'));
      await manager.query('SELECT 1');
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['committed']);

    await expect(
      db.transaction(async (manager) => {
        afterCommit(manager, () => ran.push('rolled back'));
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    // A retry on the same pooled connection must not inherit the failed attempt's hooks.
    await db.transaction(async (manager) => {
      afterCommit(manager, () => ran.push('retried'));
    });
    expect(ran).toEqual(['committed', 'retried']);
  });

  it('waits for the outermost transaction: a released savepoint is not a commit', async () => {
    const ran: string[] = [];
    await db.transaction(async (outer) => {
      await outer.transaction(async (inner) => {
        afterCommit(inner, () => ran.push('inner'));
      });
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['inner']);
  });

  it('runs at once outside a transaction', () => {
    const ran: string[] = [];
    afterCommit(db.manager, () => ran.push('now'));
    expect(ran).toEqual(['now']);
  });
});
