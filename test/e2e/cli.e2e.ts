import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffprobeJson } from '@vrs/media';
import { closedPort } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { videoDurationOf } from '../support/probe';
import { createTenant, ensureServices, GATEWAY, REPO_ROOT, SAMPLE_MEDIA } from '../support/system';

// The real built binary, as package.json's "bin" names it (what `npx vrs` runs).
const BIN = join(REPO_ROOT, JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).bin.vrs);
const CLIP = join(SAMPLE_MEDIA, 'video.mp4');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function vrs(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, VRS_POLL_MS: '250', ...env }, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the vrs command line (built binary against the running system)', () => {
  let media: MediaServer;
  let work: string;
  let env: Record<string, string>;
  let stalled: Server;
  let stalledUrl: string;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    work = await mkdtemp(join(tmpdir(), 'vrs-cli-e2e-'));
    env = { VRS_URL: GATEWAY, VRS_TOKEN: (await createTenant('cli-e2e')).token, XDG_CONFIG_HOME: join(work, 'config') };
    // A source that never answers keeps a job running, so it can be cancelled while it runs.
    stalled = createServer(() => undefined);
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    stalledUrl = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/slow.mp4`;
  });
  afterAll(async () => {
    stalled.closeAllConnections();
    stalled.close();
    await media.close();
  });

  it('runs as `npx vrs` in the repository', async () => {
    const npx = await new Promise<Run>((resolve) =>
      execFile('npx', ['--offline', 'vrs', '--version'], { cwd: REPO_ROOT, timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(npx).toMatchObject({ code: 0, stdout: `${JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version}\n` });
  });

  it('joins a local file and a URL, waits and saves the MP4 (exit 0)', async () => {
    const out = join(work, 'joined.mp4');
    const run = await vrs(['join', CLIP, media.url('edts.mp4'), '--wait', '--out', out], env);
    expect(run.stderr).not.toContain('vrs:');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('finished');
    expect(existsSync(out)).toBe(true);
    const expected = (await videoDurationOf(CLIP)) + (await videoDurationOf(join(SAMPLE_MEDIA, 'edts.mp4')));
    const output = await ffprobeJson(out);
    const [frames, seconds] = String(output.streams.find((s) => s.codec_type === 'video')!.r_frame_rate)
      .split('/')
      .map(Number);
    const fps = frames / seconds;
    expect(Math.abs(Number(output.format.duration) - expected)).toBeLessThanOrEqual(1 / fps + 0.001);
  });

  it('prints JSON that parses with --json (join, job --watch, jobs --state, job --logs)', async () => {
    const created = await vrs(['--json', 'join', media.url('video.mp4')], env);
    expect(created.code).toBe(0);
    const job = JSON.parse(created.stdout);
    expect(job).toMatchObject({ id: expect.any(String), status: 'queued', outputUrl: expect.stringContaining(job.id) });

    const watched = await vrs(['job', job.id, '--watch', '--json'], env);
    expect(watched.code).toBe(0);
    expect(JSON.parse(watched.stdout)).toMatchObject({ id: job.id, status: 'finished', progress: 100 });

    const finished = JSON.parse((await vrs(['jobs', '--state', 'finished', '--json'], env)).stdout);
    expect(finished.jobs.map((j: { id: string }) => j.id)).toContain(job.id);
    expect(finished.jobs.every((j: { status: string }) => j.status === 'finished')).toBe(true);
    const listed = await vrs(['jobs'], env);
    expect(listed.stdout).toMatch(new RegExp(`${job.id}\\s+join\\s+finished`));

    const logs = await vrs(['job', job.id, '--logs'], env);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('[queued]');
    expect(logs.stdout).toContain('[finished]');
  });

  it('exits non-zero and prints the error when the job fails (a clip that 404s)', async () => {
    const run = await vrs(['join', media.url('missing.mp4'), '--wait'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Job \S+ failed: clip 1 .*404/);
  });

  it('cancels a running job; cancelling it again (ended) or an unknown id exits non-zero', async () => {
    const job = JSON.parse((await vrs(['--json', 'join', stalledUrl], env)).stdout);
    const cancel = await vrs(['cancel', job.id], env);
    expect(cancel.stdout).toContain(`${job.id}  cancel_requested`);
    expect(cancel.code).toBe(0);
    const watched = await vrs(['job', job.id, '--watch'], env);
    expect(watched.code).toBe(1);
    expect(watched.stderr).toContain(`Job ${job.id} was cancelled`);
    const again = await vrs(['cancel', job.id, 'no-such-job'], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`${job.id}  already_ended`);
    expect(again.stdout).toContain('no-such-job  not_found');
  });

  it('pushes and lists templates, and renders one', async () => {
    const file = join(work, 'title.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'CLI title',
        driver: 'builtin',
        compositions: {
          main: {
            width: 160,
            height: 90,
            fps: 25,
            durationSec: 1,
            background: { color: '#203040' },
            layers: [{ layerName: 'title', type: 'text', text: 'x', fontSize: 18, color: '#ffee00', x: 'center', y: 'center' }],
          },
        },
      }),
    );
    const pushed = await vrs(['templates', 'push', file, '--json'], env);
    expect(pushed.code).toBe(0);
    const template = JSON.parse(pushed.stdout);
    expect(template).toMatchObject({ id: expect.any(String), name: 'CLI title', compositions: ['main'] });
    const listed = JSON.parse((await vrs(['templates', 'ls', '--json'], env)).stdout);
    expect(listed.templates.map((t: { id: string }) => t.id)).toContain(template.id);

    const out = join(work, 'title.mp4');
    const rendered = await vrs(['render', template.id, '-c', 'main', '--text', 'title=Hello', '--wait', '--out', out], env);
    expect(rendered.stderr).not.toContain('vrs:');
    expect(rendered.code).toBe(0);
    expect(Math.abs((await videoDurationOf(out)) - 1)).toBeLessThanOrEqual(0.05);
    const unknown = await vrs(['render', template.id, '-c', 'outro'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('template.composition');
  });

  it('creates a batch from a file (local paths uploaded) and waits for it; a refused entry exits non-zero', async () => {
    const file = join(work, 'batch.json');
    await writeFile(file, JSON.stringify({ jobs: [{ assets: [{ type: 'video', src: CLIP }] }, { assets: [{ type: 'video', src: media.url('edts.mp4') }] }] }));
    const run = await vrs(['batch', file, '--wait', '--json'], env);
    expect(run.stderr).not.toContain('vrs:');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'created',
      totalJobs: 2,
      successCount: 2,
      progress: { status: 'finished', stats: { finished: 2, error: 0 } },
    });

    await writeFile(file, JSON.stringify([{ assets: [{ type: 'video', src: media.url('edts.mp4') }] }, { assets: [] }]));
    const partial = await vrs(['batch', file], env);
    expect(partial.code).toBe(1);
    expect(partial.stdout).toContain('jobs[1]');
    expect(partial.stderr).toContain('1 of 2 job(s)');
  });

  it('says clearly what is wrong: a refused token, an unreachable address, a missing file, a bad --state', async () => {
    const token = await vrs(['jobs'], { ...env, VRS_TOKEN: 'vrs_not-a-real-token' });
    expect(token.code).toBe(1);
    expect(token.stderr).toContain('API token was refused');
    const unreachable = await vrs(['jobs'], { ...env, VRS_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const missing = await vrs(['join', join(work, 'nope.mp4')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('File not found');
    const state = await vrs(['jobs', '--state', 'done'], env);
    expect(state.code).toBe(2);
    expect(state.stderr).toContain('"done"');
  });

  it('vrs login checks and saves the address and token (0600); later commands use them', async () => {
    const config = { XDG_CONFIG_HOME: join(work, 'login-config') };
    const refused = await vrs(['login', '--url', GATEWAY, '--token', 'vrs_not-a-real-token'], config);
    expect(refused.code).toBe(1);
    expect(existsSync(join(work, 'login-config/vrs/config.json'))).toBe(false);
    const login = await vrs(['login', '--url', GATEWAY, '--token', env.VRS_TOKEN], config);
    expect(login.code).toBe(0);
    const path = join(work, 'login-config/vrs/config.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ url: GATEWAY, token: env.VRS_TOKEN });
    const jobs = await vrs(['jobs', '--json'], config);
    expect(jobs.code).toBe(0);
    expect(JSON.parse(jobs.stdout).jobs.length).toBeGreaterThan(0);
  });
});
