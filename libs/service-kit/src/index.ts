export * from './config';
export * from './database';
export * from './health';
export * from './bootstrap';
export * from './kafka-transport';
export * from './service-kit.module';
export * from './work-dirs';
export * from './cancellable-work';
