/**
 * What application code sees of a transaction: the port calls made inside `run` (reads included)
 * commit together, or none does. Handlers get it injected (`TRANSACTIONS`) or, for a consumed
 * event, bound to the transaction that records the event as consumed.
 */
export interface Transactions {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export const TRANSACTIONS = Symbol('TRANSACTIONS');
