// Pipeline scenarios of `npm run bench:load`: the whole system, from POST to a finished job.
// - small copy joins offered at 10/s for 60 s: completions per second, p50 and p99 POST→finished;
// - a join of 3 job assets: how many of its renders run at once (the render-adapter's capacity is 3);
// - 8 copy-compatible 10 s 720p clips: POST→finished against ffmpeg's raw concat copy of the same files;
// - before them, where the time of one small job goes (pipeline-breakdown.ts).
import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runFfmpeg } from '@vrs/media';
import { partitionOfKey } from '@vrs/messaging';
import { pipelineBreakdown } from './pipeline-breakdown';
import { untilSettled } from './settle';
import type { LoadContext, LoadRow } from './types';

const run = promisify(execFile);
const SMALL_RATE_PER_S = 10;
const SMALL_SECONDS = 60;
const EIGHT_CLIPS = 8;
/** The 8-clip runs' status polls, as the breakdown's: finer ones (200 GETs a second) load the system they time. */
const POLL_MS = 10;
const RUNS = 6;
const TERMINAL = new Set(['finished', 'error', 'manually_cancelled']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => quantile(values, 0.5);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

interface Job {
  id: string;
  status: string;
  children?: Array<{ id: string }>;
  stats: { createdAt: string; startedAt: string | null; finishedAt: string | null };
}

function api(ctx: LoadContext) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${ctx.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ctx.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return {
    post: <T = Job>(path: string, body: unknown) => call<T>('POST', path, body),
    get: <T = Job>(path: string) => call<T>('GET', path),
  };
}

type Api = ReturnType<typeof api>;

/** One job's POST→finished as a client sees it: from sending the POST to the first GET that shows it ended. */
async function timeOneJob(client: Api, body: unknown, pollMs = 10, timeoutMs = 300_000): Promise<{ ms: number; job: Job }> {
  const started = performance.now();
  const { id } = await client.post('/jobs/join', body);
  for (;;) {
    if (performance.now() - started > timeoutMs) throw new Error(`job ${id} did not end within ${timeoutMs / 1000} s`);
    const job = await client.get(`/jobs/${id}`);
    if (TERMINAL.has(job.status)) {
      if (job.status !== 'finished') throw new Error(`job ${id} ended ${job.status}`);
      return { ms: performance.now() - started, job };
    }
    await sleep(pollMs);
  }
}

/** H.264 High + AAC-LC 48 kHz stereo, the shape the copy join takes as it is. */
async function makeClip(path: string, seconds: number): Promise<string> {
  await runFfmpeg({
    inputs: [
      { source: `testsrc2=size=1280x720:rate=30:duration=${seconds}`, format: 'lavfi' },
      { source: `sine=frequency=330:sample_rate=48000:duration=${seconds}`, format: 'lavfi' },
    ],
    output: path,
    outputOptions: ['-map', '0:v', '-map', '1:a', '-vf', 'format=yuv420p', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-c:a', 'aac', '-ac', '2'],
  });
  return path;
}

/**
 * Offers single-clip copy joins at a steady rate and notes when each is seen finished. One small list
 * query every 100 ms watches them all — the ended jobs created since the oldest one still open (the
 * bench's tenant has only these jobs) — so watching adds little load to the gateway.
 */
async function smallJobs(ctx: LoadContext, client: Api): Promise<LoadRow[]> {
  const clip = `${ctx.mediaBaseUrl}/small-4s.mp4`;
  const body = { assets: [{ type: 'video', src: clip }] };
  const alone: number[] = [];
  for (let i = 0; i < 5; i++) alone.push((await timeOneJob(client, body)).ms);

  // `createdAtOrAfter`: a lower bound of the job's stats.createdAt (the 201 does not carry it), the
  // send time less a second, which is all the list's `from` cursor needs on this one machine's clock.
  const posted = new Map<string, { sentAt: number; createdAtOrAfter: string }>();
  const ended = new Map<string, { at: number; status: string }>();
  const total = SMALL_RATE_PER_S * SMALL_SECONDS;
  const start = performance.now();
  let offering = true;
  const watcher = (async () => {
    while (offering || ended.size < posted.size) {
      const open = [...posted]
        .filter(([id]) => !ended.has(id))
        .map(([, p]) => p.createdAtOrAfter)
        .sort();
      if (open.length > 0) {
        const { jobs } = await client.get<{ jobs: Job[] }>(
          `/jobs?states=finished,error,manually_cancelled&sort=asc&limit=100&from=${encodeURIComponent(open[0])}`,
        );
        const at = performance.now();
        for (const job of jobs) if (posted.has(job.id) && !ended.has(job.id)) ended.set(job.id, { at, status: job.status });
      }
      if (performance.now() - start > (SMALL_SECONDS + 120) * 1000) break;
      await sleep(100);
    }
  })();
  const posts: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    await sleep(Math.max(0, start + (n * 1000) / SMALL_RATE_PER_S - performance.now()));
    const sentAt = performance.now();
    const createdAtOrAfter = new Date(Date.now() - 1000).toISOString();
    posts.push(
      client.post('/jobs/join', body).then((job) => {
        posted.set(job.id, { sentAt, createdAtOrAfter });
      }),
    );
  }
  await Promise.all(posts);
  offering = false;
  await watcher;

  const latencies = [...posted].filter(([id]) => ended.get(id)?.status === 'finished').map(([id, { sentAt }]) => ended.get(id)!.at - sentAt);
  const failed = [...ended.values()].filter((e) => e.status !== 'finished').length;
  const unfinished = posted.size - ended.size;
  // Completions per second over the offered window, leaving out its first 5 s (the queue filling).
  const windowEnd = start + SMALL_SECONDS * 1000;
  const inWindow = [...ended.values()].filter((e) => e.status === 'finished' && e.at >= start + 5_000 && e.at < windowEnd).length;
  const scenario =
    `single-clip copy joins (4 s 720p) offered at ${SMALL_RATE_PER_S}/s for ${SMALL_SECONDS} s` +
    ` (${latencies.length}/${total} finished${failed ? `, ${failed} failed` : ''}${unfinished ? `, ${unfinished} not ended` : ''})`;
  return [
    {
      scenario,
      figure: 'finished per second (5–60 s)',
      ours: inWindow / (SMALL_SECONDS - 5),
      baseline: SMALL_RATE_PER_S,
      unit: 'jobs/s',
      baselineName: 'offered rate',
      goal: `≥ ${SMALL_RATE_PER_S}/s`,
    },
    {
      scenario,
      figure: 'p50 POST→finished',
      ours: median(latencies),
      baseline: median(alone),
      unit: 'ms',
      baselineName: 'the same job alone (median of 5)',
      goal: '—',
    },
    {
      scenario,
      figure: 'p99 POST→finished',
      ours: quantile(latencies, 0.99),
      baseline: median(alone),
      unit: 'ms',
      baselineName: 'the same job alone (median of 5)',
      goal: '< 1500 ms',
    },
  ];
}

/** Most intervals that contain one instant. */
function mostAtOnce(intervals: Array<[number, number]>): number {
  const edges = intervals
    .flatMap(
      ([from, to]) =>
        [
          [from, 1],
          [to, -1],
        ] as const,
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, (now += step));
  return most;
}

/** A join of 3 job assets (20 s renders): its children's render intervals, from each child's own start and end. */
async function siblings(ctx: LoadContext, client: Api): Promise<LoadRow[]> {
  const template = await client.post<{ id: string }>('/templates', {
    name: 'bench-siblings',
    driver: 'builtin',
    compositions: {
      main: {
        width: 640,
        height: 360,
        fps: 25,
        durationSec: 20,
        background: { color: '#203040' },
        layers: [{ layerName: 'title', type: 'text', text: 'sibling', fontSize: 48, color: '#ffee00', x: 'center', y: 'center' }],
      },
    },
  });
  const asset = (n: number) => ({
    type: 'job',
    template: { id: template.id, composition: 'main' },
    assets: [{ type: 'data', layerName: 'title', property: 'Source Text', value: `sibling ${n}` }],
  });
  const { ms, job } = await timeOneJob(client, { assets: [asset(1), asset(2), asset(3)] }, 100);
  const children = await Promise.all(job.children!.map((child) => client.get(`/jobs/${child.id}`)));
  const intervals = children.map((c) => [Date.parse(c.stats.startedAt!), Date.parse(c.stats.finishedAt!)] as [number, number]);
  const partitions = job.children!.map((child) => partitionOfKey(child.id)).join(', ');
  const scenario = `a join of 3 job assets (20 s 640x360 renders; children on partitions ${partitions}; ${(ms / 1000).toFixed(1)} s in all)`;
  return [
    {
      scenario,
      figure: 'renders running at once (most)',
      ours: mostAtOnce(intervals),
      baseline: 3,
      unit: 'renders',
      baselineName: 'render-adapter capacity (RENDER_CONCURRENCY)',
      goal: '= 3',
    },
  ];
}

/** 8 copy-compatible clips end to end, alternating run by run with ffmpeg's raw concat copy of the same local files. */
async function eightClips(ctx: LoadContext, client: Api): Promise<LoadRow[]> {
  await makeClip(join(ctx.workDir, 'eight-0.mp4'), 10);
  const names = Array.from({ length: EIGHT_CLIPS }, (_, i) => `eight-${i}.mp4`);
  for (const name of names.slice(1)) await copyFile(join(ctx.workDir, names[0]), join(ctx.workDir, name));
  const list = join(ctx.workDir, 'eight.ffconcat');
  await writeFile(list, `ffconcat version 1.0\n${names.map((name) => `file '${join(ctx.workDir, name)}'`).join('\n')}\n`);
  const body = { assets: names.map((name) => ({ type: 'video', src: `${ctx.mediaBaseUrl}/${name}` })) };
  await timeOneJob(client, body); // warm: the first job of a kind pays for lazy start-up
  // The clips just written (and the warm job's output) are flushed first: their write-back is not the runs' work.
  await run('sync', []);
  await untilSettled();
  const ours: number[] = [];
  const raw: number[] = [];
  const rawCopy = async (n: number) => {
    const started = performance.now();
    await runFfmpeg({ inputs: [{ source: list, format: 'concat' }], output: join(ctx.workDir, `raw-${n}.mp4`), outputOptions: ['-c', 'copy'] });
    raw.push(performance.now() - started);
  };
  // Which goes first alternates, so neither always starts on a machine just woken from idle.
  for (let n = 0; n < RUNS; n++) {
    if (n % 2 === 1) await rawCopy(n);
    ours.push((await timeOneJob(client, body, POLL_MS)).ms);
    if (n % 2 === 0) await rawCopy(n);
  }
  const breakdown = await pipelineBreakdown(
    ctx,
    body.assets.map((a) => a.src),
    `${EIGHT_CLIPS}-clip copy join`,
  );
  const scenario = `${EIGHT_CLIPS} copy-compatible 10 s 720p clips, POST→finished (median of ${RUNS}: ${ours.map((v) => v.toFixed(0)).join(', ')} ms)`;
  return [
    {
      scenario,
      figure: 'POST→finished',
      ours: median(ours),
      baseline: median(raw),
      unit: 'ms',
      baselineName: `raw ffmpeg -f concat -c copy of the same files (${raw.map((v) => v.toFixed(0)).join(', ')} ms)`,
      goal: '≤ 2×',
    },
    ...breakdown,
  ];
}

export async function pipelineScenarios(ctx: LoadContext): Promise<LoadRow[]> {
  await mkdir(ctx.workDir, { recursive: true });
  await makeClip(join(ctx.workDir, 'small-4s.mp4'), 4);
  const client = api(ctx);
  const small = `${ctx.mediaBaseUrl}/small-4s.mp4`;
  await timeOneJob(client, { assets: [{ type: 'video', src: small }] }); // warm-up
  // Each scenario on a settled machine: the one before may leave work behind (outputs written back).
  const rows = await pipelineBreakdown(ctx, [small], 'single-clip copy join');
  for (const scenario of [eightClips, smallJobs, siblings]) {
    await untilSettled();
    rows.push(...(await scenario(ctx, client)));
  }
  return rows;
}

/** Only the 8-clip scenario (`npm run bench:load -- eight-clips`), for work on that one figure. */
export async function eightClipScenario(ctx: LoadContext): Promise<LoadRow[]> {
  await mkdir(ctx.workDir, { recursive: true });
  return eightClips(ctx, api(ctx));
}

/** Only the small-jobs scenario (`npm run bench:load -- small-jobs`), for work on that one figure. */
export async function smallJobScenario(ctx: LoadContext): Promise<LoadRow[]> {
  await mkdir(ctx.workDir, { recursive: true });
  await makeClip(join(ctx.workDir, 'small-4s.mp4'), 4);
  const client = api(ctx);
  await timeOneJob(client, { assets: [{ type: 'video', src: `${ctx.mediaBaseUrl}/small-4s.mp4` }] }); // warm-up
  await untilSettled();
  return smallJobs(ctx, client);
}
