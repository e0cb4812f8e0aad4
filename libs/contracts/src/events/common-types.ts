export type { JobStatus } from './common';
export type { JobStatusChanged } from './job';
