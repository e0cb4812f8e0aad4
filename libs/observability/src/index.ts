export * from './log-context';
export * from './redact';
export * from './json-logger';
export * from './metrics';
