import { EventSubscriber, type EntityManager, type EntitySubscriberInterface, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';

const HOOKS = 'vrs.afterCommit';

type Hook = () => void;

/**
 * Runs `hook` once the transaction `manager` belongs to commits, and never when it rolls back (a
 * retried handler must not count its effect twice). Outside a transaction it runs at once.
 */
export function afterCommit(manager: EntityManager, hook: Hook): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return hook();
  ((runner.data[HOOKS] ??= []) as Hook[]).push(hook);
}

const takeHooks = (data: Record<string, unknown>): Hook[] => {
  const hooks = (data[HOOKS] as Hook[] | undefined) ?? [];
  delete data[HOOKS];
  return hooks;
};

/**
 * The TypeORM subscriber behind `afterCommit`; every service's data source lists it. TypeORM also
 * reports savepoints released or rolled back; only the end of the outermost transaction counts.
 */
@EventSubscriber()
export class AfterCommitHooks implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    for (const hook of takeHooks(event.queryRunner.data)) hook();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) takeHooks(event.queryRunner.data);
  }
}
