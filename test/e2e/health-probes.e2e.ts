import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closedPort, isRunning, waitFor } from '@vrs/testing';
import { ensureServices, REPO_ROOT, servicePid } from '../support/system';

const run = promisify(execFile);

async function probe(port: number, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.json() };
}

describe('health probes', () => {
  beforeAll(() => ensureServices());

  it.each(['gateway', 'stitcher'])('%s answers /health, /health/live and /health/ready', async (service) => {
    const port = service === 'gateway' ? 3000 : 3003;
    const [health, live, ready] = await Promise.all(['/health', '/health/live', '/health/ready'].map((path) => probe(port, path)));
    expect(health).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up', broker: 'up', consumer: 'joined' } } });
    expect(live).toEqual({ status: 200, body: { status: 'ok' } });
    expect(ready).toEqual(health);
  });

  it('on SIGTERM reports not ready while still live, keeps serving during the drain delay, then exits', async () => {
    const port = await closedPort();
    await run('bash', [join(REPO_ROOT, 'scripts/services.sh'), 'add-instance', 'notifier', String(port)], {
      cwd: REPO_ROOT,
      env: { ...process.env, SHUTDOWN_DRAIN_DELAY_MS: '4000' },
      timeout: 120_000,
    });
    const pid = servicePid(`notifier@${port}`);
    expect((await probe(port, '/health/ready')).status).toBe(200);

    process.kill(pid, 'SIGTERM');
    const draining = await waitFor(
      async () => {
        const ready = await probe(port, '/health/ready');
        return ready.status === 503 ? ready : undefined;
      },
      10_000,
      'readiness to turn 503',
      50,
    );
    expect(draining.body).toEqual({ status: 'draining' });
    // Same moment: the process is alive and its dependencies still answer.
    expect(await probe(port, '/health/live')).toEqual({ status: 200, body: { status: 'draining' } });
    expect((await probe(port, '/health')).status).toBe(200);

    await waitFor(() => (isRunning(pid) ? undefined : true), 30_000, 'the instance to exit', 100);
    await expect(probe(port, '/health/live')).rejects.toThrow();
  });

  it('refuses to start with incomplete Kafka SASL settings and names the variable, without the password', async () => {
    const main = join(REPO_ROOT, 'dist/apps/notifier/src/main.js');
    const started = run('node', ['-r', join(REPO_ROOT, 'scripts/runtime/register-aliases.js'), main], {
      env: { ...process.env, KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SASL_PASSWORD: 'do-not-print-me', HEALTH_PORT: '0' },
      timeout: 20_000,
    });
    const failure = await started.then(
      () => undefined,
      (error) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure.stderr).toMatch(/Invalid configuration: KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM/);
    expect(`${failure.stdout}${failure.stderr}`).not.toContain('do-not-print-me');
  });
});
