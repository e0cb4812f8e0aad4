import { randomUUID } from 'node:crypto';
import { childJobId, TOPICS } from '@vrs/contracts';
import { eventOf, orchestratorHarness, type OrchestratorHarness } from '../testing/orchestrator-harness';

const clip = [{ type: 'video' as const, src: 'http://127.0.0.1:9/a.mp4' }];
const nested = (value: string) => ({
  type: 'job' as const,
  template: { id: 'tpl', composition: 'main' },
  assets: [{ type: 'data' as const, layerName: 'title', property: 'Source Text' as const, value }],
});

/** The ids of one run: the root and its two children (when it has job assets). */
interface Ids {
  id: string;
  a: string;
  b: string;
}
type Step = (h: OrchestratorHarness, ids: Ids) => Promise<void>;

const steps = {
  join: (h: OrchestratorHarness, { id }: Ids) => h.join(id, 't', clip),
  family: (h: OrchestratorHarness, { id }: Ids) => h.join(id, 't', [nested('a'), nested('b')]),
  cancel: (h: OrchestratorHarness, { id }: Ids) => h.cancel(id, 't'),
  cancelChild: (h: OrchestratorHarness, { a }: Ids) => h.cancel(a, 't'),
  stitchProgress: (h: OrchestratorHarness, { id }: Ids) =>
    h.stitch.progress(eventOf(TOPICS.stitchProgress, { jobId: id, phase: 'join', fraction: 0.5 }), h.work),
  stitchCompleted: (h: OrchestratorHarness, { id }: Ids) =>
    h.stitch.completed(eventOf(TOPICS.stitchCompleted, { jobId: id, outputKey: `${id}.mp4`, durationSec: 2, sizeBytes: 10 }), h.work),
  stitchFailed: (h: OrchestratorHarness, { id }: Ids) => h.stitch.failed(eventOf(TOPICS.stitchFailed, { jobId: id, reason: 'clip 1 is not a video' }), h.work),
  childFinished: (child: 'a' | 'b') => (h: OrchestratorHarness, ids: Ids) =>
    h.render.finished(eventOf(TOPICS.childFinished, { jobId: ids[child], parentId: ids.id, outputKey: `${ids[child]}.mp4`, durationSec: 1 }), h.work),
  childFailed: (child: 'a' | 'b') => (h: OrchestratorHarness, ids: Ids) =>
    h.render.failed(eventOf(TOPICS.childFailed, { jobId: ids[child], parentId: ids.id, reason: 'font missing' }), h.work),
  renderProgress: (child: 'a' | 'b') => (h: OrchestratorHarness, ids: Ids) =>
    h.render.progress(eventOf(TOPICS.renderProgress, { jobId: ids[child], parentId: ids.id, fraction: 0.5 }), h.work),
};

interface Pair {
  name: string;
  setup: Step[];
  first: Step;
  second: Step;
  outcome: Record<string, unknown>;
}

/**
 * Pairs of events about one job that travel on different topics or partitions, so either may come
 * first, and whose outcome must not depend on which did. (A cancel and a completion race for real:
 * the first end wins there, by design, and is covered by the handlers' own specs.)
 */
const PAIRS: Pair[] = [
  { name: 'a join request and its cancel', setup: [], first: steps.join, second: steps.cancel, outcome: { status: 'manually_cancelled', deadline: false } },
  {
    name: 'a join request and the same request again',
    setup: [],
    first: steps.join,
    second: steps.join,
    outcome: { status: 'queued', deadline: true, stitchRequests: 1 },
  },
  {
    name: 'a job with children and a cancel of one child',
    setup: [],
    first: steps.family,
    second: steps.cancelChild,
    outcome: { status: 'manually_cancelled', deadline: false },
  },
  {
    name: "stitch progress and the stitch's completion",
    setup: [steps.join],
    first: steps.stitchProgress,
    second: steps.stitchCompleted,
    outcome: { status: 'finished', progress: 100, deadline: false, stitchRequests: 1 },
  },
  {
    name: "stitch progress and the stitch's failure",
    setup: [steps.join],
    first: steps.stitchProgress,
    second: steps.stitchFailed,
    outcome: { status: 'error', error: 'clip 1 is not a video', deadline: false, stitchRequests: 1 },
  },
  {
    name: 'a completion and its redelivery',
    setup: [steps.join],
    first: steps.stitchCompleted,
    second: steps.stitchCompleted,
    outcome: { status: 'finished', progress: 100, deadline: false, stitchRequests: 1 },
  },
  {
    name: 'the last two children finishing',
    setup: [steps.family],
    first: steps.childFinished('a'),
    second: steps.childFinished('b'),
    outcome: { status: 'render:dorender', progress: 70, deadline: true, stitchRequests: 1 },
  },
  {
    name: "a child's progress and its end",
    setup: [steps.family, steps.childFinished('b')],
    first: steps.renderProgress('a'),
    second: steps.childFinished('a'),
    outcome: { status: 'render:dorender', progress: 70, deadline: true, stitchRequests: 1 },
  },
  {
    name: 'a child failing and its sibling finishing',
    setup: [steps.family],
    first: steps.childFailed('a'),
    second: steps.childFinished('b'),
    outcome: { status: 'error', error: 'child job <a> (assets[0]) failed: font missing', deadline: false, stitchRequests: 0 },
  },
  {
    name: 'a cancel of the job and a cancel of its child',
    setup: [steps.family],
    first: steps.cancel,
    second: steps.cancelChild,
    outcome: { status: 'manually_cancelled', deadline: false, stitchRequests: 0 },
  },
];

// Any two events about one job, in either order, leave the job (what its owner sees) the same.
describe('every pair of events for one job, in either order (real PostgreSQL)', () => {
  let h: OrchestratorHarness;
  beforeAll(async () => {
    h = await orchestratorHarness('vrs_orchestrator_event_order_spec');
  });
  afterAll(() => h.close());

  async function run(pair: Pair, order: [Step, Step]): Promise<Record<string, unknown>> {
    const id = `o-${randomUUID().slice(0, 12)}`;
    const ids = { id, a: childJobId(id, 0), b: childJobId(id, 1) };
    for (const step of [...pair.setup, ...order]) await step(h, ids);
    const job = (await h.job(id))!;
    const named = (text: string | null) => text && text.replaceAll(ids.a, '<a>').replaceAll(ids.b, '<b>');
    return {
      status: job.status,
      // A failed job's progress says how far it got before the failure, which is what came first.
      ...(job.progress && job.status !== 'error' ? { progress: job.progress } : {}),
      ...(job.error ? { error: named(job.error) } : {}),
      deadline: job.deadlineAt !== null,
      // A cancel that comes first means no work is ever asked for; either way none is left to do.
      ...('stitchRequests' in pair.outcome ? { stitchRequests: (await h.published([id], TOPICS.stitchRequested)).length } : {}),
    };
  }

  it.each(PAIRS.map((pair) => [pair.name, pair] as const))('%s', async (_name, pair) => {
    const forwards = await run(pair, [pair.first, pair.second]);
    const backwards = await run(pair, [pair.second, pair.first]);
    expect(forwards).toEqual(pair.outcome);
    expect(backwards).toEqual(pair.outcome);
  });
});
