export * from './kafka';
export * from './database';
export * from './wait';
