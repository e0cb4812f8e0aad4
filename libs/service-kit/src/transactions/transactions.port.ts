/**
 * What application code sees of a transaction: the port calls made inside `run` (reads included)
 * commit together, or none does. Handlers get it injected (`TRANSACTIONS`) or, for a consumed
 * event, bound to the transaction that records the event as consumed.
 */
export interface Transactions {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** For a use case that groups work of several requests into one transaction (group commit). */
export interface GroupableTransactions extends Transactions {
  /** Whether the caller's own transaction is open (its writes must join it). */
  readonly isOpen: boolean;
  /** A new transaction, even below an open one. */
  within<T>(work: () => Promise<T>): Promise<T>;
}

/** The service's `TransactionScope`, as the ports above. */
export const TRANSACTIONS = Symbol('TRANSACTIONS');
