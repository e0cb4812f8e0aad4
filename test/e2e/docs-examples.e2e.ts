import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testKafka } from '@vrs/testing';
import { strandedJobsReport } from '../support/stranded-jobs';
import { adminToken, createTenant, ensureServices, GATEWAY, REPO_ROOT } from '../support/system';

const run = promisify(execFile);

/** The ```bash blocks of a doc, in order: a user runs them one after another in one shell. */
async function shellExamples(doc: string): Promise<string> {
  const text = await readFile(join(REPO_ROOT, 'docs', doc), 'utf8');
  const blocks = [...text.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  expect(blocks.length).toBeGreaterThan(0);
  return ['set -euo pipefail', ...blocks].join('\n');
}

/** Runs a doc's examples as written, with the variables `npm start` tells a user to export. */
async function runExamples(doc: string): Promise<string> {
  const tenant = await createTenant(`docs-${doc}`);
  const cwd = await mkdtemp(join(tmpdir(), 'vrs-docs-'));
  try {
    const { stdout } = await run('bash', ['-c', await shellExamples(doc)], {
      cwd,
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, VRS_URL: GATEWAY, VRS_TOKEN: tenant.token, ADMIN_TOKEN: adminToken() },
    }).catch((failed) => {
      throw new Error(`${doc} examples failed (${failed.code}):\n${failed.stdout}\n${failed.stderr}`);
    });
    return stdout;
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

describe('documented examples run as written', () => {
  beforeAll(async () => {
    await ensureServices();
    await run('bash', [join(REPO_ROOT, 'scripts/services.sh'), 'sample-media'], { cwd: REPO_ROOT });
  }, 240_000);

  it('docs/api.md: every route example succeeds and every job ends as documented', async () => {
    const out = await runExamples('api.md');
    const ended = [...out.matchAll(/^job (\S+): (\S+)$/gm)].map((m) => m[2]);
    // join, render, job assets, nested, cancelled-or-finished, 2 batch jobs, upload, webhook, Kafka.
    expect(ended.length).toBeGreaterThanOrEqual(10);
    expect(ended.filter((status) => status === 'error')).toEqual([]);
    expect(out).toMatch(/"status": "partial"/);
    expect(out).toMatch(/"uploadedUrl": "http:\/\/127\.0\.0\.1:9000\/vrs-outputs\/docs-example\//);
    expect(out).toMatch(/"ref": "order-7"/);
    const kafkaJob = /^job (docs-kafka-\d+): (\S*)$/m.exec(out);
    if (kafkaJob && kafkaJob[2] !== 'finished') console.log(await strandedJobsReport(testKafka(), [kafkaJob[1]]));
    expect(out).toMatch(/^job docs-kafka-\d+: finished$/m);
  }, 600_000);

  it('docs/rendering.md: the complete template is accepted and renders', async () => {
    const out = await runExamples('rendering.md');
    expect(out).toMatch(/"status": "finished"/);
    expect(out).toMatch(/"error": null/);
  }, 300_000);
});
