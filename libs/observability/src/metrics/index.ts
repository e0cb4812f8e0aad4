export * from './registry';
export * from './sampled-gauge';
