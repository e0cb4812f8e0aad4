import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { UnitOfWork } from '@vrs/messaging';
import type { GroupableTransactions, Transactions } from './transactions.port';

/**
 * A service's unit of work: a transaction opened here is the one every repository adapter below it
 * uses (`manager`), so handlers compose ports without passing connections around, and a request
 * holds a single connection (no pool deadlock when duplicates wait on each other's rows).
 */
@Injectable()
export class TransactionScope implements GroupableTransactions {
  private readonly open = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  /** For adapters: the open transaction when there is one, else any pooled connection. */
  get manager(): EntityManager {
    return this.open.getStore() ?? this.dataSource.manager;
  }

  get isOpen(): boolean {
    return this.open.getStore() !== undefined;
  }

  /** Runs `work` in the open transaction, or in a new one when none is open. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.open.getStore() ? work() : this.within(work);
  }

  /** Always a new transaction, which everything `work` starts joins. */
  within<T>(work: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => this.open.run(manager, work));
  }

  /** Runs `work` inside a transaction someone else opened (the inbox's). */
  join<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    return this.open.run(manager, work);
  }

  /** A transaction someone else opened (a batch's inbox transaction) as `Transactions`. */
  joining(manager: EntityManager): Transactions {
    return { run: (fn) => this.join(manager, fn) };
  }

  /** A consumed event's unit of work as `Transactions`: what `run` does commits with the event's inbox entry. */
  consuming(work: UnitOfWork): Transactions {
    return { run: (fn) => work.transaction((manager) => this.join(manager, fn)) };
  }
}
