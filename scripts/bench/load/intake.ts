import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { Pool } from 'pg';
import { runFfmpeg } from '@vrs/media';
import { closedLoop, percentile, send, type HttpCall, type LoadResult } from './closed-loop';
import { untilSettled } from './settle';
import type { LoadContext, LoadRow } from './types';

/**
 * Intake at volume, over HTTP against the running system: single-clip joins from 32 concurrent
 * clients (without and with Idempotency-Key) beside the same harness against GET /health and a
 * bare INSERT + COMMIT loop on the gateway's database; batches of 1000 and bulk cancels of 1000
 * (median and worst of several runs) beside a bare 1000-row INSERT. The jobs of each run are
 * cancelled before the next, so no run shares the machine with the work of the one before.
 */
const CLIENTS = 32;
const SECONDS = Number(process.env.LOAD_INTAKE_SECONDS ?? 10);
const BULK = 1000;
const BULK_RUNS = 5;
const gatewayDatabase = process.env.GATEWAY_DATABASE_URL ?? `${process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/vrs_gateway`;

export async function intakeScenarios(ctx: LoadContext): Promise<LoadRow[]> {
  const clip = await makeClip(join(ctx.workDir, 'intake-720p-4s.mp4'));
  const joinBody = JSON.stringify({ assets: [{ type: 'video', src: `${ctx.mediaBaseUrl}/${clip}` }] });
  const auth = { authorization: `Bearer ${ctx.token}` };
  const created: string[] = [];
  const collect = (status: number, text: string) => {
    if (status === 201) created.push(JSON.parse(text).id);
  };
  const joins =
    (headers: (client: number, n: number) => Record<string, string>) =>
    (client: number, n: number): HttpCall => ({
      method: 'POST',
      url: `${ctx.gatewayUrl}/jobs/join`,
      headers: { ...auth, ...headers(client, n) },
      body: joinBody,
    });
  // Each run starts on a quiet system: the jobs of the one before are cancelled, not worked off beside it.
  const drain = async () => {
    await cancelAll(ctx, created.splice(0));
    await untilQuiet(ctx);
    await untilSettled();
  };
  const pool = new Pool({ connectionString: gatewayDatabase, max: CLIENTS });
  const rows: LoadRow[] = [];
  try {
    await closedLoop(
      CLIENTS,
      1,
      joins(() => ({})),
      collect,
    ); // warm-up: connections, JIT, pools
    await drain();
    const live = await closedLoop(CLIENTS, SECONDS, () => ({ method: 'GET', url: `${ctx.gatewayUrl}/health/live` }));
    const health = await closedLoop(CLIENTS, SECONDS, () => ({ method: 'GET', url: `${ctx.gatewayUrl}/health` }));
    const floor = await insertCommitLoop(pool, CLIENTS, SECONDS);
    const plain = await closedLoop(
      CLIENTS,
      SECONDS,
      joins(() => ({})),
      collect,
    );
    await drain();
    const keyed = await closedLoop(
      CLIENTS,
      SECONDS,
      joins(() => ({ 'idempotency-key': randomUUID() })),
      collect,
    );
    report('GET /health/live', live);
    report('GET /health', health);
    report('joins', plain);
    report('joins with Idempotency-Key', keyed);
    console.log(`bare INSERT + COMMIT, ${CLIENTS} connections: ${floor.perSecond.toFixed(0)}/s, p99 ${floor.p99.toFixed(1)} ms`);
    const scenario = `POST /jobs/join, ${CLIENTS} clients × ${SECONDS} s`;
    rows.push(
      {
        scenario,
        figure: 'joins accepted per second',
        ours: accepted(plain),
        baseline: live.perSecond,
        unit: '/s',
        baselineName: 'GET /health/live, same harness',
        goal: '≥ 500/s',
      },
      {
        scenario,
        figure: 'joins accepted per second',
        ours: accepted(plain),
        baseline: health.perSecond,
        unit: '/s',
        baselineName: 'GET /health (database + broker round trip), same harness',
        goal: '≥ 500/s',
      },
      {
        scenario,
        figure: 'joins accepted per second',
        ours: accepted(plain),
        baseline: floor.perSecond,
        unit: '/s',
        baselineName: 'bare INSERT + COMMIT loop',
        goal: '≥ 500/s',
      },
      { scenario, figure: 'p99 latency', ours: plain.p99, baseline: live.p99, unit: 'ms', baselineName: 'GET /health/live p99', goal: '< 100 ms' },
      { scenario, figure: 'p50 latency', ours: plain.p50, baseline: live.p50, unit: 'ms', baselineName: 'GET /health/live p50', goal: '—' },
      {
        scenario: `${scenario}, each with a new Idempotency-Key`,
        figure: 'joins accepted per second',
        ours: accepted(keyed),
        baseline: accepted(plain),
        unit: '/s',
        baselineName: 'joins without a key',
        goal: '—',
      },
      {
        scenario: `${scenario}, each with a new Idempotency-Key`,
        figure: 'p99 latency',
        ours: keyed.p99,
        baseline: plain.p99,
        unit: 'ms',
        baselineName: 'joins without a key',
        goal: '—',
      },
    );
    await drain();
    rows.push(...(await bulkScenarios(ctx, pool, joinBody)));
  } finally {
    await pool.end();
  }
  return rows;
}

const accepted = (result: LoadResult) => (result.byStatus['201'] ?? 0) / result.seconds;

function report(name: string, result: LoadResult): void {
  console.log(
    `${name}: ${result.requests} answers in ${result.seconds.toFixed(1)} s (${result.perSecond.toFixed(0)}/s), p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, by status ${JSON.stringify(result.byStatus)}`,
  );
}

/** The floor of a durable write: each of `clients` connections INSERTs one row and commits, in a loop. */
async function insertCommitLoop(pool: Pool, clients: number, seconds: number) {
  const jobId = `bench-floor-${randomUUID()}`;
  const times: number[] = [];
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < until) {
          const at = performance.now();
          await client.query(`INSERT INTO job_log_lines (job_id, at, line) VALUES ($1, now(), 'bench floor')`, [jobId]);
          times.push(performance.now() - at);
        }
      } finally {
        client.release();
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.query('DELETE FROM job_log_lines WHERE job_id = $1', [jobId]);
  times.sort((a, b) => a - b);
  return { perSecond: times.length / elapsed, p99: percentile(times, 0.99) };
}

async function bulkScenarios(ctx: LoadContext, pool: Pool, joinBody: string): Promise<LoadRow[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const auth = { authorization: `Bearer ${ctx.token}` };
  const batchBody = `{"jobs":[${Array(BULK).fill(joinBody).join(',')}]}`;
  const floor: number[] = [];
  const batches: number[] = [];
  const cancels: number[] = [];
  for (let run = 0; run < BULK_RUNS; run++) {
    floor.push(await timed(() => bareBulkInsert(pool, BULK)));
    let ids: string[] = [];
    batches.push(
      await timed(async () => {
        const answer = await send(agent, { method: 'POST', url: `${ctx.gatewayUrl}/batches`, headers: auth, body: batchBody });
        if (answer.status !== 201) throw new Error(`POST /batches answered ${answer.status}: ${answer.text.slice(0, 300)}`);
        ids = JSON.parse(answer.text).jobs.map((job: { id: string }) => job.id);
      }),
    );
    cancels.push(
      await timed(async () => {
        const answer = await send(agent, { method: 'POST', url: `${ctx.gatewayUrl}/jobs/cancel`, headers: auth, body: JSON.stringify({ jobs: ids }) });
        if (answer.status !== 202) throw new Error(`POST /jobs/cancel answered ${answer.status}: ${answer.text.slice(0, 300)}`);
      }),
    );
    await untilQuiet(ctx);
  }
  agent.destroy();
  console.log(
    `runs (ms): bare 1000-row INSERT ${floor.map(Math.round)}, POST /batches ${batches.map(Math.round)}, POST /jobs/cancel ${cancels.map(Math.round)}`,
  );
  const scenario = `${BULK} single-clip joins over HTTP, ${BULK_RUNS} runs`;
  const baseline = { baseline: median(floor), unit: 'ms', baselineName: `bare ${BULK}-row INSERT + COMMIT (median)` };
  return [
    { scenario, figure: 'POST /batches, median', ours: median(batches), ...baseline, goal: '< 1000 ms' },
    { scenario, figure: 'POST /batches, worst', ours: Math.max(...batches), ...baseline, goal: '< 1000 ms' },
    { scenario, figure: 'POST /jobs/cancel, median', ours: median(cancels), ...baseline, goal: '< 500 ms' },
    { scenario, figure: 'POST /jobs/cancel, worst', ours: Math.max(...cancels), ...baseline, goal: '< 500 ms' },
  ];
}

async function bareBulkInsert(pool: Pool, rows: number): Promise<void> {
  const tenant = `bench-floor-${randomUUID()}`;
  const ids = Array.from({ length: rows }, () => randomUUID());
  await pool.query(
    `INSERT INTO job_views (id, tenant_id, type, status, output_key, stats, created_at, updated_at)
     SELECT id, $2, 'join', 'queued', id || '.mp4', '{}', now(), now() FROM unnest($1::text[]) AS j(id)`,
    [ids, tenant],
  );
  await pool.query('DELETE FROM job_views WHERE tenant_id = $1', [tenant]);
}

/** Cancels what the load made, a thousand at a time, so the stitcher does not work through it afterwards. */
async function cancelAll(ctx: LoadContext, ids: string[]): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let start = 0; start < ids.length; start += BULK) {
    const answer = await send(agent, {
      method: 'POST',
      url: `${ctx.gatewayUrl}/jobs/cancel`,
      headers: { authorization: `Bearer ${ctx.token}` },
      body: JSON.stringify({ jobs: ids.slice(start, start + BULK) }),
    });
    if (answer.status !== 202) throw new Error(`POST /jobs/cancel answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  }
  agent.destroy();
}

/** Waits until none of the tenant's jobs is still queued, pending or running (every cancel applied). */
async function untilQuiet(ctx: LoadContext, timeoutMs = 300_000): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const answer = await send(agent, {
        method: 'GET',
        url: `${ctx.gatewayUrl}/jobs?states=queued,pending,render:dorender&limit=1`,
        headers: { authorization: `Bearer ${ctx.token}` },
      });
      if (answer.status === 200 && JSON.parse(answer.text).jobs.length === 0) return;
      if (Date.now() > deadline) throw new Error(`jobs still not ended ${timeoutMs / 1000} s after the load: ${answer.status} ${answer.text.slice(0, 300)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    agent.destroy();
  }
}

/** A 4 s 720p30 H.264 High + AAC 48 kHz clip (the single-clip join); answers its file name. */
async function makeClip(path: string): Promise<string> {
  await runFfmpeg({
    inputs: [
      { source: 'testsrc2=size=1280x720:rate=30:duration=4', format: 'lavfi' },
      { source: 'sine=frequency=440:sample_rate=48000:duration=4', format: 'lavfi' },
    ],
    output: path,
    outputOptions: ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2', '-movflags', '+faststart'],
  });
  return path.slice(path.lastIndexOf('/') + 1);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
