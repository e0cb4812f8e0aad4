import { childJobId, childOutputKey } from '@vrs/contracts';
import {
  cancelledOnArrival,
  newRenderJob,
  planJobTree,
  recordChildFailed,
  recordChildFinished,
  recordChildUpdate,
  renderedAssetIndexes,
  resolvedRenderAssets,
  stitchClips,
} from './children';
import { newJoinJob, type Job } from './job';

const t0 = new Date('2026-01-01T00:00:00Z');
const urlFor = (key: string) => `http://gw/outputs/${key}`;
const jobAsset = (value: string) => ({
  type: 'job' as const,
  template: { id: 'tpl', composition: 'main' },
  assets: [{ type: 'data' as const, layerName: 'name', property: 'Source Text' as const, value }],
});
const joinTree = () =>
  planJobTree(
    newJoinJob(
      {
        id: 'p',
        tenantId: 't',
        assets: [{ type: 'video', src: 'http://x/intro.mp4' }, jobAsset('Ada'), { type: 'video', src: 'http://x/outro.mp4' }, jobAsset('Bob')],
      },
      t0,
    ),
    t0,
  );

describe('children of a job', () => {
  it('plans a pending parent with one child per job asset, in asset order, with derived ids', () => {
    const [parent, ...children] = joinTree();
    expect(parent.job).toMatchObject({
      status: 'pending',
      children: [
        { id: childJobId('p', 1), assetIndex: 1 },
        { id: childJobId('p', 3), assetIndex: 3 },
      ],
    });
    expect(children.map((c) => c.job)).toEqual([
      expect.objectContaining({ id: childJobId('p', 1), parentId: 'p', type: 'render', status: 'queued', outputKey: `${childJobId('p', 1)}.mp4` }),
      expect.objectContaining({ id: childJobId('p', 3), parentId: 'p', render: expect.objectContaining({ assets: jobAsset('Bob').assets }) }),
    ]);
  });

  it('plans nested jobs as grandchildren, and a job without job assets alone', () => {
    const nested = planJobTree(
      newRenderJob(
        {
          id: 'r',
          tenantId: 't',
          parentId: null,
          spec: {
            template: { id: 'tpl', composition: 'main' },
            assets: [{ ...jobAsset('inner'), assets: [{ ...jobAsset('deep'), layerName: 'bg' }], layerName: 'clip' }],
          },
        },
        t0,
      ),
      t0,
    );
    expect(nested.map((n) => [n.job.parentId, n.job.status])).toEqual([
      [null, 'pending'],
      ['r', 'pending'],
      [childJobId('r', 0), 'queued'],
    ]);
    expect(planJobTree(newJoinJob({ id: 'v', tenantId: 't', assets: [{ type: 'video', src: 'http://x/a.mp4' }] }, t0), t0)).toHaveLength(1);
  });

  it('is ready exactly once: when the last child finishes, never again', () => {
    const [{ job: parent }] = joinTree();
    const first = recordChildFinished(parent, childJobId('p', 3), t0)!;
    expect(first.ready).toBe(false);
    expect(first.transition.job.status).toBe('pending');
    const last = recordChildFinished(first.transition.job, childJobId('p', 1), t0)!;
    expect(last.ready).toBe(true);
    expect(last.transition.job).toMatchObject({ status: 'render:dorender', progress: 70 });
    expect(recordChildFinished(last.transition.job, childJobId('p', 1), t0)).toBeNull();
    expect(recordChildFinished(first.transition.job, childJobId('p', 3), t0)).toBeNull();
  });

  it('rolls children progress up while pending, never backwards', () => {
    const [{ job: parent }] = joinTree();
    const half = recordChildUpdate(parent, { id: childJobId('p', 1), status: 'render:dorender', progress: 50 }, t0)!;
    expect(half.job.progress).toBe(17);
    expect(recordChildUpdate(half.job, { id: childJobId('p', 1), status: 'render:dorender', progress: 50 }, t0)).toBeNull();
    expect(recordChildUpdate(half.job, { id: 'stranger', status: 'render:dorender', progress: 99 }, t0)).toBeNull();
  });

  it('fails the parent naming the child, its asset and the reason', () => {
    const [{ job: parent }] = joinTree();
    const failed = recordChildFailed(parent, childJobId('p', 3), 'layer "logo": 404', t0)!.job;
    expect(failed).toMatchObject({ status: 'error', error: `child job ${childJobId('p', 3)} (assets[3]) failed: layer "logo": 404` });
    expect(failed.children[1].status).toBe('error');
    expect(recordChildFailed(failed, childJobId('p', 1), 'late', t0)).toBeNull();
  });

  it('stitches clips in asset order, rendered ones by their output URL and marked to be read from storage; nested outputs become video layers', () => {
    const [{ job: parent }] = joinTree();
    expect(stitchClips(parent, urlFor)).toEqual([
      { src: 'http://x/intro.mp4' },
      { src: urlFor(childOutputKey('p', 1)), rendered: true },
      { src: 'http://x/outro.mp4' },
      { src: urlFor(childOutputKey('p', 3)), rendered: true },
    ]);
    // A clip's own transition into the next one travels with it, rendered or not.
    const fade = { type: 'fade' as const, duration: 1 };
    const withTransitions = { ...parent, assets: parent.assets.map((asset, index) => (index < 2 ? { ...asset, transition: fade } : asset)) } as Job;
    expect(stitchClips(withTransitions, urlFor).map((clip) => clip.transition)).toEqual([fade, fade, undefined, undefined]);
    const [{ job: render }] = planJobTree(
      newRenderJob(
        {
          id: 'r',
          tenantId: 't',
          parentId: null,
          spec: {
            template: { id: 'tpl', composition: 'main' },
            assets: [
              { type: 'data', layerName: 'name', property: 'Source Text', value: 'x' },
              { ...jobAsset('in'), layerName: 'clip' },
            ],
          },
        },
        t0,
      ),
      t0,
    );
    expect(resolvedRenderAssets(render as Job, urlFor)[1]).toEqual({ type: 'video', layerName: 'clip', src: urlFor(`${childJobId('r', 1)}.mp4`) });
    expect(renderedAssetIndexes(render as Job)).toEqual([1]);
  });
});

describe('a cancel that came before its job', () => {
  it('creates the whole tree cancelled, the parent listing its cancelled children', () => {
    const cancelled = cancelledOnArrival(joinTree(), 'cancelled through the API', t0);
    expect(cancelled.map((created) => created.job.status)).toEqual(cancelled.map(() => 'manually_cancelled'));
    expect(cancelled[0].job.children.map((child) => child.status)).toEqual(['manually_cancelled', 'manually_cancelled']);
    expect(cancelled[0].logLine).toMatch(/cancelled: cancelled through the API \(the cancel came first\)$/);
  });
});
