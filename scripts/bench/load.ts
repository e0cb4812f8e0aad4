// Load benchmark of the running system: runs each scenario module against the five services (starts
// them when they are not running, and then stops them again) and prints every figure beside the
// baseline measured in the same run, as a ratio, then a markdown table with the machine's load for
// docs/benchmarks.md (also written to .var/bench/). Run: npm run bench:load
import { execFile, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { intakeScenarios } from './load/intake';
import { eightClipScenario, pipelineScenarios, smallJobScenario } from './load/pipeline';
import { untilSettled } from './load/settle';
import type { LoadContext, LoadRow } from './load/types';

const ROOT = resolve(__dirname, '../../..');
const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
const run = promisify(execFile);

const SCENARIOS: Record<string, (ctx: LoadContext) => Promise<LoadRow[]>> = {
  intake: intakeScenarios,
  pipeline: pipelineScenarios,
  'eight-clips': eightClipScenario,
  'small-jobs': smallJobScenario,
};
/** `npm run bench:load -- pipeline` runs only the named scenario modules; none named: intake and pipeline (the 8 clips and the small jobs are part of it). */
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['intake', 'pipeline'];

async function main() {
  const startedServices = !(await healthy());
  if (startedServices) {
    console.log('load: starting the services');
    await run('bash', [join(ROOT, 'scripts/services.sh'), 'start'], { cwd: ROOT, timeout: 300_000 });
  }
  await mkdir(join(ROOT, '.var', 'bench'), { recursive: true });
  const workDir = await mkdtemp(join(ROOT, '.var', 'bench', 'media-'));
  const media = await serveDirectory(workDir);
  try {
    const ctx: LoadContext = { gatewayUrl: GATEWAY, token: await createTenant(), mediaBaseUrl: media.url, workDir };
    const before = loadavg();
    const rows: LoadRow[] = [];
    for (const name of chosen) {
      const scenarios = SCENARIOS[name];
      if (!scenarios) throw new Error(`no scenario module "${name}"; there are: ${Object.keys(SCENARIOS).join(', ')}`);
      await untilSettled();
      rows.push(...(await scenarios(ctx)));
    }
    const table = markdown(rows, before, loadavg());
    console.log(`\n${table}`);
    const file = join(ROOT, '.var', 'bench', `load-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
    await writeFile(file, table);
    console.log(`load: table written to ${file}`);
  } finally {
    await media.close();
    await rm(workDir, { recursive: true, force: true });
    if (startedServices) await run('bash', [join(ROOT, 'scripts/services.sh'), 'stop'], { cwd: ROOT, timeout: 120_000 });
  }
}

const healthy = () =>
  fetch(`${GATEWAY}/health`).then(
    (res) => res.ok,
    () => false,
  );

async function createTenant(): Promise<string> {
  const admin = process.env.ADMIN_TOKEN ?? readFileSync(join(ROOT, '.var/admin-token'), 'utf8').trim();
  const res = await fetch(`${GATEWAY}/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `bench-load-${Date.now()}` }),
  });
  if (res.status !== 201) throw new Error(`creating the benchmark's tenant answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * The scenarios' clips, served the way a user's CDN would: from a process of its own (see
 * load/media-server.ts), so serving them does not share an event loop with the clients that time the jobs.
 */
async function serveDirectory(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const child = fork(join(__dirname, 'load', 'media-server.js'), [dir], { stdio: 'inherit' });
  const port = await new Promise<number>((ready, failed) => {
    child.once('message', (message) => ready((message as { port: number }).port));
    child.once('exit', (code) => failed(new Error(`the media server exited (${code}) before it listened`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((closed) => {
        child.once('exit', () => closed());
        child.kill();
      }),
  };
}

const figure = (value: number, unit: string) => `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${unit}`.replace(' /s', '/s');

function markdown(rows: LoadRow[], before: number[], after: number[]): string {
  const load = (avg: number[]) => avg.map((value) => value.toFixed(2)).join(' / ');
  return [
    `Load benchmark — ${new Date().toISOString()} — ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, node ${process.version}`,
    `Load average (1 / 5 / 15 min): ${load(before)} before, ${load(after)} after.`,
    '',
    '| scenario | figure | ours | baseline | ratio | goal |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${row.figure} | ${figure(row.ours, row.unit)} | ${row.baselineName}: ${figure(row.baseline, row.unit)} | ${(row.ours / row.baseline).toFixed(2)}x | ${row.goal} |`,
    ),
    '',
  ].join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
