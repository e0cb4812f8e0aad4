import { encodingCost, type JoinAsset, type RenderSettings, type TemplateAsset } from '@vrs/contracts';
import { isTerminal, next, type Job, type RenderSpec, type Transition } from './job';

/** How long each piece of work may take, from the service config (seconds). */
export interface DeadlineLimits {
  stitchBaseSec: number;
  stitchPerClipSec: number;
  renderBaseSec: number;
  renderPerAssetSec: number;
  renderPerFrameSec: number;
  /** Frames assumed for a render of the whole composition (no `settings.frames`): its length is the template's. */
  renderFullFrames: number;
  /** Times a job's work is asked for again before the job ends in error. */
  redriveLimit: number;
}

export type DeadlineAction =
  { kind: 'redrive'; transition: Transition; work: 'stitch' | 'render' } | { kind: 'expire'; reason: string; work: 'stitch' | 'render' | 'children' };

const framesOf = (settings: RenderSettings | undefined, limits: DeadlineLimits): number => {
  const frames = settings?.frames;
  if (frames === undefined) return limits.renderFullFrames;
  return typeof frames === 'number' ? 1 : Math.max(1, frames[1] - frames[0] + 1);
};

type NestedAssets = Array<JoinAsset | TemplateAsset>;

const renderSec = (spec: Pick<RenderSpec, 'assets' | 'settings'>, limits: DeadlineLimits) =>
  limits.renderBaseSec + limits.renderPerAssetSec * spec.assets.length + limits.renderPerFrameSec * framesOf(spec.settings, limits);

/**
 * The longest time the jobs rendered for these assets may take, children first: each with all its
 * attempts and one more, as slack for re-drives that start a reconcile interval late. So a child
 * always ends (and ends its parent, naming itself) before the parent's own wait runs out.
 */
const childrenSec = (assets: NestedAssets, limits: DeadlineLimits): number =>
  assets.reduce(
    (longest, asset) =>
      asset.type === 'job' ? Math.max(longest, childrenSec(asset.assets, limits) + (limits.redriveLimit + 2) * renderSec(asset, limits)) : longest,
    0,
  );

/**
 * How long one attempt of the job's own work may take: the stitch grows with its clips (and with the
 * encoder its output settings choose), a render with its assets and frames.
 */
export function workSec(job: Job, limits: DeadlineLimits): number {
  if (job.type === 'join') return (limits.stitchBaseSec + limits.stitchPerClipSec * job.assets.length) * encodingCost(job.settings?.output);
  return renderSec({ assets: job.render?.assets ?? [], settings: job.render?.settings }, limits);
}

const waitSec = (job: Job, limits: DeadlineLimits) => childrenSec(job.type === 'join' ? job.assets : (job.render?.assets ?? []), limits);

const plusSec = (from: Date, sec: number) => new Date(from.getTime() + sec * 1000);
const latest = (...dates: Array<Date | null>) => new Date(Math.max(...dates.map((date) => date?.getTime() ?? 0)));

/**
 * When the job must have moved on, derived from its state alone (so any order of events gives the
 * same deadline): `pending` waits for its children, each with all its attempts; `queued` has asked
 * for its work and waits for the first report; `render:dorender` waits for the work to end. A
 * re-drive starts the clock again. Ended jobs have none.
 */
export function deadlineOf(job: Job, limits: DeadlineLimits): Date | null {
  if (isTerminal(job)) return null;
  if (job.status === 'pending') return plusSec(job.createdAt, waitSec(job, limits));
  const since = job.status === 'queued' ? latest(job.createdAt, job.drivenAt) : latest(job.startedAt ?? job.updatedAt, job.drivenAt);
  return plusSec(since, workSec(job, limits));
}

/** "15 min", "45 s", "2 h 5 min": what a person reads in the job's error. */
export function formatSec(sec: number): string {
  const rounded = Math.round(sec);
  if (rounded < 120) return `${rounded} s`;
  const minutes = Math.round(rounded / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/**
 * What to do with a job whose deadline has passed at `now`: ask for its work again (the request
 * keeps its event id, so a worker that already has it does nothing twice), a bounded number of
 * times; then end it in error with a reason a person can act on. Null when it is not overdue.
 */
export function onDeadline(job: Job, limits: DeadlineLimits, now: Date): DeadlineAction | null {
  const deadline = deadlineOf(job, limits);
  if (!deadline || deadline > now) return null;
  if (job.status === 'pending') {
    const pending = job.children.filter((child) => child.status !== 'finished').length;
    return {
      kind: 'expire',
      work: 'children',
      reason: `${pending} of ${job.children.length} child job(s) did not finish within ${formatSec(waitSec(job, limits))}; the renderer may be down or overloaded: submit the job again`,
    };
  }
  const work = job.type === 'join' ? 'stitch' : 'render';
  const budget = formatSec(workSec(job, limits));
  const verb = job.status === 'queued' ? 'start' : 'finish';
  if (job.redrives < limits.redriveLimit) {
    const redrives = job.redrives + 1;
    return {
      kind: 'redrive',
      work,
      transition: {
        job: next(job, now, { redrives, drivenAt: now }),
        logLine: `the ${work} did not ${verb} within ${budget}; asked for it again (${redrives} of ${limits.redriveLimit})`,
      },
    };
  }
  return {
    kind: 'expire',
    work,
    reason: `the ${work} did not ${verb} within ${budget}, asked for ${job.redrives + 1} time(s); the ${work === 'stitch' ? 'stitcher' : 'renderer'} may be down or overloaded: submit the job again`,
  };
}
