export * from './messaging-metrics';
export * from './outbox-stats';
export * from './consumer-lag';
