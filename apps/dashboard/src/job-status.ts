import type { JobStatus } from './api/types';

export type Tone = 'waiting' | 'active' | 'done' | 'failed' | 'cancelled';

/**
 * How each job state looks: a word and a tone (colour) — never colour alone. Keyed by the contracts'
 * JobStatus, so a new state fails the dashboard's typecheck until it has a look here.
 */
export const STATUS_LOOK: Record<JobStatus, { label: string; tone: Tone; hint: string }> = {
  queued: { label: 'Queued', tone: 'waiting', hint: 'accepted, waiting to start' },
  pending: { label: 'Waiting for renders', tone: 'waiting', hint: 'its clips from templates are rendering' },
  'render:dorender': { label: 'Rendering', tone: 'active', hint: 'rendering or stitching' },
  finished: { label: 'Finished', tone: 'done', hint: 'the output is ready' },
  error: { label: 'Failed', tone: 'failed', hint: 'ended with an error' },
  manually_cancelled: { label: 'Cancelled', tone: 'cancelled', hint: 'cancelled by a user' },
};

export const ALL_STATUSES = Object.keys(STATUS_LOOK) as JobStatus[];

export const hasEnded = (status: JobStatus) => status === 'finished' || status === 'error' || status === 'manually_cancelled';
