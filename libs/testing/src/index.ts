export * from './kafka';
export * from './database';
export * from './wait';
export * from './ports';
export * from './media';
export * from './infrastructure-scope';
export * from './processes';
export * from './worker-fakes';
