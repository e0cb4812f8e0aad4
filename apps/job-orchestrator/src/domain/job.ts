import type { JobStatus, JoinAsset, JoinSettings, RenderSettings, TemplateAsset, UploadSpec, WebhookSpec } from '@vrs/contracts';
import { jobOutputKey, TERMINAL_STATUSES } from '@vrs/contracts';

/** A job as the orchestrator owns it. Pure data: transitions below are plain functions. */
export interface Job {
  id: string;
  tenantId: string;
  parentId: string | null;
  type: 'join' | 'render';
  status: JobStatus;
  /** 0..100 over the whole job. */
  progress: number;
  /** Increases with every published change, so read models can ignore stale events. */
  sequence: number;
  outputKey: string;
  uploadedUrl: string | null;
  assets: JoinAsset[];
  /** A join job's output settings as validated at submit; null for a plain join and for render jobs. */
  settings: JoinSettings | null;
  /** What a render job renders; null for join jobs. */
  render: RenderSpec | null;
  /** Jobs rendered first (from job assets), in the order of the assets they stand for. */
  children: ChildRef[];
  upload: UploadSpec | null;
  webhook: WebhookSpec | null;
  error: string | null;
  /** What the finished output does not fully keep of the inputs (the stitch report's warnings). */
  warnings: string[];
  /** A finished join's poster and thumbnail index (stitch.completed), when its settings asked for them. */
  posterKey: string | null;
  thumbnailsKey: string | null;
  /** Seconds a finished join is shorter than its clips together, because crossfades overlap them. */
  overlapSec: number | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorAt: Date | null;
  /** Times the job's own work (stitch or render) was asked for again because it did not report in time. */
  redrives: number;
  /** When the work was last asked for again; its deadline counts from then. */
  drivenAt: Date | null;
  /** When the job must have moved on (see `deadlines.ts`); null once it has ended. Derived when saved. */
  deadlineAt: Date | null;
}

export interface RenderSpec {
  template: { id: string; composition: string };
  assets: TemplateAsset[];
  preview?: boolean;
  settings?: RenderSettings;
}

/** The parent's view of one child: enough to present it, wait for it and weigh its progress. */
export interface ChildRef {
  id: string;
  /** The parent's asset this child renders. */
  assetIndex: number;
  status: JobStatus;
  progress: number;
  outputKey: string;
}

/** Share of a parent's progress (percent) covered by its children's renders; its own work covers the rest. */
export const CHILDREN_SHARE = 70;

export interface Transition {
  job: Job;
  logLine: string;
}

export const isTerminal = (job: Pick<Job, 'status'>) => TERMINAL_STATUSES.includes(job.status);

/** A job as it starts: queued, nothing done yet, its output key fixed by its id. */
export function freshJob(
  fields: Pick<Job, 'id' | 'tenantId' | 'parentId' | 'type' | 'assets' | 'render'> & { settings?: JoinSettings; upload?: UploadSpec; webhook?: WebhookSpec },
  now: Date,
): Job {
  return {
    ...fields,
    settings: fields.settings ?? null,
    status: 'queued',
    progress: 0,
    sequence: 0,
    outputKey: jobOutputKey(fields.id),
    uploadedUrl: null,
    children: [],
    upload: fields.upload ?? null,
    webhook: fields.webhook ?? null,
    error: null,
    warnings: [],
    posterKey: null,
    thumbnailsKey: null,
    overlapSec: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    errorAt: null,
    redrives: 0,
    drivenAt: null,
    deadlineAt: null,
  };
}

export function newJoinJob(
  input: { id: string; tenantId: string; assets: JoinAsset[]; settings?: JoinSettings; upload?: UploadSpec; webhook?: WebhookSpec },
  now: Date,
): Transition {
  return {
    job: freshJob({ ...input, parentId: null, type: 'join', render: null }, now),
    logLine: `join job accepted with ${input.assets.length} clip(s)`,
  };
}

export const next = (job: Job, now: Date, changes: Partial<Job>): Job => ({ ...job, ...changes, sequence: job.sequence + 1, updatedAt: now });

/** Stitch work reported progress: the job is rendering now. Ignored once the job has ended. */
export function recordStitchProgress(job: Job, phase: string, fraction: number, now: Date): Transition | null {
  return recordWorkProgress(job, fraction, now, `stitch ${phase}`);
}

/** The job's own work (stitch or render) is `fraction` done; after its children, when it has any. */
export function recordWorkProgress(job: Job, fraction: number, now: Date, what: string): Transition | null {
  if (isTerminal(job)) return null;
  const base = job.children.length > 0 ? CHILDREN_SHARE : 0;
  const progress = Math.max(job.progress, Math.min(99, Math.floor(base + fraction * (100 - base))));
  if (job.status === 'render:dorender' && progress === job.progress) return null;
  return {
    job: next(job, now, { status: 'render:dorender', progress, startedAt: job.startedAt ?? now }),
    logLine: `${what}: ${progress}%`,
  };
}

export interface StitchResult {
  durationSec: number;
  sizeBytes: number;
  uploadedUrl?: string;
  warnings?: string[];
  posterKey?: string;
  thumbnailsKey?: string;
  overlapSec?: number;
  /** When the stitch began (ISO), for a job that had no progress before it ended. */
  startedAt?: string;
}

export function completeStitch(job: Job, result: StitchResult, now: Date): Transition | null {
  if (isTerminal(job)) return null;
  const warnings = result.warnings ?? [];
  const made = [result.posterKey ? 'poster' : '', result.thumbnailsKey ? 'thumbnails' : ''].filter(Boolean);
  return {
    job: next(job, now, {
      status: 'finished',
      progress: 100,
      finishedAt: now,
      startedAt: job.startedAt ?? stitchStart(result, now),
      uploadedUrl: result.uploadedUrl ?? null,
      upload: scrubbed(job.upload),
      warnings,
      posterKey: result.posterKey ?? null,
      thumbnailsKey: result.thumbnailsKey ?? null,
      overlapSec: result.overlapSec ?? null,
    }),
    logLine:
      `finished: ${result.durationSec.toFixed(3)} s, ${result.sizeBytes} bytes${result.uploadedUrl ? `, uploaded to ${result.uploadedUrl}` : ''}` +
      (result.overlapSec ? `, ${result.overlapSec.toFixed(3)} s shorter than the clips together (crossfades)` : '') +
      (made.length ? `, with ${made.join(' and ')}` : '') +
      warnings.map((warning) => `; warning: ${warning}`).join(''),
  };
}

/** The stitcher's own start, never after the orchestrator's now (their clocks may differ). */
function stitchStart(result: StitchResult, now: Date): Date {
  const reported = result.startedAt ? new Date(result.startedAt) : now;
  return reported < now ? reported : now;
}

export function failJob(job: Job, reason: string, now: Date): Transition | null {
  if (isTerminal(job)) return null;
  return { job: next(job, now, { status: 'error', error: reason, errorAt: now, upload: scrubbed(job.upload) }), logLine: `error: ${reason}` };
}

/** For a job that has not ended (callers pick those: an ended job stays as it is). */
export function cancelJob(job: Job, reason: string, now: Date): Transition {
  return { job: next(job, now, { status: 'manually_cancelled', upload: scrubbed(job.upload) }), logLine: `cancelled: ${reason}` };
}

/** Upload credentials are kept only while the job can still use them. */
export function scrubbed(upload: UploadSpec | null): UploadSpec | null {
  return upload && { ...upload, params: { ...upload.params, accessKeySecret: '***' } };
}
