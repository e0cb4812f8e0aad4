import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * The gateway's unit of work. A request can open one transaction (`within`) that every write and
 * read below it joins, so an idempotency key, the request's effects and its stored answer commit
 * together, and the request holds a single connection (no pool deadlock under concurrent duplicates).
 */
@Injectable()
export class Transactions {
  private readonly open = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in the request's open transaction, or in a new one when none is open. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const manager = this.open.getStore();
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /** Whether this request has an open transaction (`within`) that writes join. */
  get isOpen(): boolean {
    return this.open.getStore() !== undefined;
  }

  /** Runs `work` in a transaction of its own, even below a request's open one. */
  alone<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For reads: the open transaction when there is one, else any pooled connection. */
  get manager(): EntityManager {
    return this.open.getStore() ?? this.dataSource.manager;
  }

  /** Opens a transaction that `run` and `manager` join for everything `work` starts. */
  within<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => this.open.run(manager, () => work(manager)));
  }
}
