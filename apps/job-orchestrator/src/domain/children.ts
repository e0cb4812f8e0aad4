import { childJobId, type JoinAsset, type StitchRequested, type TemplateAsset, type UploadSpec, type WebhookSpec } from '@vrs/contracts';
import { cancelJob, CHILDREN_SHARE, failJob, freshJob, isTerminal, next, scrubbed, type ChildRef, type Job, type RenderSpec, type Transition } from './job';

/** Turns a stored output key into a URL the renderer or stitcher can download it from. */
export type OutputUrlFor = (outputKey: string) => string;

export function newRenderJob(
  input: { id: string; tenantId: string; parentId: string | null; spec: RenderSpec; upload?: UploadSpec; webhook?: WebhookSpec },
  now: Date,
): Transition {
  const { spec, ...fields } = input;
  return {
    job: freshJob({ ...fields, type: 'render', assets: [], render: spec }, now),
    logLine: input.parentId ? `render job accepted as a child of ${input.parentId}` : 'render job accepted',
  };
}

const jobAssetsOf = (job: Job): Array<{ index: number; spec: RenderSpec }> => {
  const assets: Array<JoinAsset | TemplateAsset> = job.type === 'join' ? job.assets : (job.render?.assets ?? []);
  return assets.flatMap((asset, index) =>
    asset.type === 'job' ? [{ index, spec: { template: asset.template, assets: asset.assets, preview: asset.preview, settings: asset.settings } }] : [],
  );
};

/**
 * A new job and every job its assets need rendered first, parents before children. A job with job
 * assets starts `pending` and lists its children; jobs without any are the ones to start at once.
 */
export function planJobTree(root: Transition, now: Date): Transition[] {
  const planned = jobAssetsOf(root.job).map(({ index, spec }) =>
    planJobTree(newRenderJob({ id: childJobId(root.job.id, index), tenantId: root.job.tenantId, parentId: root.job.id, spec }, now), now),
  );
  if (planned.length === 0) return [root];
  const children: ChildRef[] = jobAssetsOf(root.job).map(({ index }, i) => ({
    id: planned[i][0].job.id,
    assetIndex: index,
    status: planned[i][0].job.status,
    progress: 0,
    outputKey: planned[i][0].job.outputKey,
  }));
  const parent = { ...root.job, status: 'pending' as const, children };
  return [{ job: parent, logLine: `${root.logLine}; waiting for ${children.length} child job(s)` }, ...planned.flat()];
}

const withChild = (parent: Job, childId: string, changes: Partial<ChildRef>): ChildRef[] =>
  parent.children.map((child) => (child.id === childId ? { ...child, ...changes } : child));

const childrenProgress = (children: ChildRef[]) =>
  Math.floor((CHILDREN_SHARE * children.reduce((sum, child) => sum + child.progress, 0)) / (100 * children.length));

/** A child moved on (status or progress): the waiting parent shows it. Null when nothing visible changed. */
export function recordChildUpdate(parent: Job, child: Pick<Job, 'id' | 'status' | 'progress'>, now: Date): Transition | null {
  const ref = parent.children.find((c) => c.id === child.id);
  if (!ref || isTerminal(parent)) return null;
  const children = withChild(parent, child.id, { status: child.status, progress: child.progress });
  const progress = parent.status === 'pending' ? Math.max(parent.progress, childrenProgress(children)) : parent.progress;
  if (ref.status === child.status && progress === parent.progress) return null;
  return { job: next(parent, now, { children, progress }), logLine: `child ${child.id}: ${child.status}, ${child.progress}%` };
}

/**
 * A child finished. When it was the last one the parent starts its own work (stitch or render):
 * `ready` is true exactly once per parent, because the caller holds the parent's row lock.
 */
export function recordChildFinished(parent: Job, childId: string, now: Date): { transition: Transition; ready: boolean } | null {
  if (isTerminal(parent) || !parent.children.some((c) => c.id === childId && c.status !== 'finished')) return null;
  const children = withChild(parent, childId, { status: 'finished', progress: 100 });
  const ready = parent.status === 'pending' && children.every((c) => c.status === 'finished');
  const progress = Math.max(parent.progress, childrenProgress(children));
  if (!ready) return { transition: { job: next(parent, now, { children, progress }), logLine: `child ${childId} finished` }, ready };
  return {
    transition: {
      job: next(parent, now, { children, progress, status: 'render:dorender', startedAt: parent.startedAt ?? now }),
      logLine: `all ${children.length} child job(s) finished; ${parent.type === 'join' ? 'stitching' : 'rendering'}`,
    },
    ready,
  };
}

/** A child failed after its retries: the parent fails, naming the child, its asset and the reason. */
export function recordChildFailed(parent: Job, childId: string, reason: string, now: Date): Transition | null {
  const ref = parent.children.find((c) => c.id === childId);
  if (!ref) return null;
  return failJob(
    { ...parent, children: withChild(parent, childId, { status: 'error' }) },
    `child job ${childId} (assets[${ref.assetIndex}]) failed: ${reason}`,
    now,
  );
}

/** The clips of a join job in order: video assets by their URL, rendered ones by their child's output; each with its own transition. */
export function stitchClips(job: Job, urlFor: OutputUrlFor): StitchRequested['clips'] {
  return job.assets.map((asset, index) => ({
    ...(asset.type === 'video' ? { src: asset.src } : { src: urlFor(childAt(job, index).outputKey), rendered: true as const }),
    ...(asset.transition ? { transition: asset.transition } : {}),
  }));
}

/** The indexes of a render job's assets that its children render (read from storage by the render-adapter). */
export function renderedAssetIndexes(job: Job): number[] {
  return (job.render?.assets ?? []).flatMap((asset, index) => (asset.type === 'job' ? [index] : []));
}

/** A render job's assets with each nested job replaced by its child's output as that layer's footage. */
export function resolvedRenderAssets(job: Job, urlFor: OutputUrlFor): TemplateAsset[] {
  return (job.render?.assets ?? []).map((asset, index) =>
    asset.type === 'job' ? { type: 'video' as const, layerName: asset.layerName, src: urlFor(childAt(job, index).outputKey) } : asset,
  );
}

function childAt(job: Job, assetIndex: number): ChildRef {
  const child = job.children.find((c) => c.assetIndex === assetIndex);
  if (!child) throw new Error(`job ${job.id} has no child for assets[${assetIndex}]`);
  return child;
}

/** The render job's own render finished (and was pushed to the caller's bucket if asked): it is done. */
export function completeRender(job: Job, result: { durationSec: number; uploadedUrl?: string }, now: Date): Transition | null {
  if (isTerminal(job)) return null;
  return {
    job: next(job, now, {
      status: 'finished',
      progress: 100,
      finishedAt: now,
      startedAt: job.startedAt ?? now,
      uploadedUrl: result.uploadedUrl ?? null,
      upload: scrubbed(job.upload),
    }),
    logLine: `finished: rendered ${result.durationSec.toFixed(3)} s${result.uploadedUrl ? `, uploaded to ${result.uploadedUrl}` : ''}`,
  };
}

/**
 * A job tree whose cancel came before it (a tombstone): every job of it starts cancelled and no
 * work is asked for, as if the cancel had come just after it.
 */
export function cancelledOnArrival(tree: Transition[], reason: string, now: Date): Transition[] {
  return tree.map((created) => {
    const { job, logLine } = cancelJob(created.job, reason, now);
    const children = job.children.map((child) => ({ ...child, status: job.status }));
    return { job: { ...job, children }, logLine: `${created.logLine}; ${logLine} (the cancel came first)` };
  });
}
