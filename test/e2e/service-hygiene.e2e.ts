import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isRunning, waitFor } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { apiClient, createTenant, ensureServices, REPO_ROOT, SAMPLE_MEDIA, SERVICE_NAMES, servicePid, type ApiClient } from '../support/system';

const run = promisify(execFile);
const SERVICES = SERVICE_NAMES;

describe('service hygiene', () => {
  let media: MediaServer;
  let api: ApiClient;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    api = apiClient((await createTenant('hygiene-e2e')).token);
  });
  afterAll(async () => {
    await ensureServices();
    await media.close();
  });

  it.each(SERVICES)('%s refuses to start with a bad setting and names the variable', async (service) => {
    const main = join(REPO_ROOT, 'dist/apps', service, 'src/main.js');
    const started = run('node', ['-r', join(REPO_ROOT, 'scripts/runtime/register-aliases.js'), main], {
      env: { ...process.env, KAFKA_BROKERS: 'not a broker list', HEALTH_PORT: '0', PORT: '0' },
      timeout: 20_000,
    });
    const failure = await started.then(
      () => undefined,
      (error) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure.stderr).toMatch(/Invalid configuration: KAFKA_BROKERS: must be a comma-separated list of host:port/);
  });

  it('runs every service but the gateway, every thread of them, at a lower CPU priority than the request path', () => {
    // Field 19 of /proc/<pid>/task/<tid>/stat (after the command in parentheses) is the thread's nice value.
    const niceness = (service: string) => {
      const tasks = join('/proc', String(servicePid(service)), 'task');
      return [
        ...new Set(
          readdirSync(tasks).map((tid) =>
            Number(
              readFileSync(join(tasks, tid, 'stat'), 'utf8')
                .split(') ')[1]
                .split(' ')[16],
            ),
          ),
        ),
      ];
    };
    expect(Object.fromEntries(SERVICES.map((service) => [service, niceness(service)]))).toEqual({
      gateway: [0],
      'job-orchestrator': [10],
      notifier: [10],
      'render-adapter': [10],
      stitcher: [10],
    });
  });

  it('logs JSON lines that carry the job id through every service', async () => {
    const created = await api.post('/jobs/join', { assets: [{ type: 'video', src: media.url('video.mp4') }] });
    await api.waitForEnd(created.body.id);
    for (const service of ['gateway', 'job-orchestrator', 'stitcher']) {
      const lines = readFileSync(join(REPO_ROOT, '.var/log', `${service}.log`), 'utf8')
        .split('\n')
        .filter((line) => line.includes(created.body.id));
      const entries = lines.map((line) => JSON.parse(line));
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.some((entry) => entry.jobId === created.body.id && entry.service === service)).toBe(true);
    }
  });

  it('shuts the stitcher down on SIGTERM mid-stitch without losing the job', async () => {
    const clips = ['video.mp4', 'sar_2x1.mp4', 'frames.webm', 'edts.mp4'];
    const created = await api.post('/jobs/join', { assets: Array.from({ length: 12 }, (_, i) => ({ type: 'video', src: media.url(clips[i % 4]) })) });
    await waitFor(
      async () => {
        const { body } = await api.get(`/jobs/${created.body.id}`);
        return body.status === 'render:dorender' && body.progress >= 30 ? true : undefined;
      },
      60_000,
      'the stitch to be under way',
      100,
    );
    const pid = servicePid('stitcher');
    const signalledAt = Date.now();
    process.kill(pid, 'SIGTERM');
    await waitFor(() => (isRunning(pid) ? undefined : true), 20_000, 'the stitcher to exit', 50);
    const shutdownMs = Date.now() - signalledAt;
    expect(shutdownMs).toBeLessThan(15_000);
    await ensureServices();
    const job = await api.waitForEnd(created.body.id, 180_000);
    expect(job.status).toBe('finished');
  });
});
