export * from './topics';
export * from './registry';
export * from './events/common';
export * from './events/assets';
export * from './events/join-requested';
export * from './events/stitch';
export * from './events/job';
