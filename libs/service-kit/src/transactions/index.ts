export * from './transactions.port';
export * from './event-outbox.port';
export * from './transaction-scope';
export * from './outbox-events';
