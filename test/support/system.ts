import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@vrs/testing';

const run = promisify(execFile);
export const REPO_ROOT = resolve(__dirname, '../..');
export { SAMPLE_MEDIA } from '@vrs/testing';
export const GATEWAY = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';
/** The five services, as scripts/services.sh names them (their logs: .var/log/<name>.log). */
export const SERVICE_NAMES = ['gateway', 'job-orchestrator', 'render-adapter', 'stitcher', 'notifier'];

/** Starts the five built services (no-op for those running) and waits until each reports healthy. */
export async function ensureServices(): Promise<void> {
  await run('bash', [join(REPO_ROOT, 'scripts/services.sh'), 'start'], { cwd: REPO_ROOT, timeout: 180_000 });
}

/**
 * Runs one more instance of a service (same consumer group), as an operator scaling it out would, with
 * `env` added. The environment is passed explicitly: a child started without one gets the real process's,
 * not a test file's `process.env` (Jest gives each file a copy).
 */
export async function addInstance(name: string, port: number, env: Record<string, string> = {}): Promise<void> {
  await run('bash', [join(REPO_ROOT, 'scripts/services.sh'), 'add-instance', name, String(port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}

export async function stopInstance(name: string, port: number): Promise<void> {
  const pid = servicePid(`${name}@${port}`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  await waitForExit(pid, 30_000, `${name}@${port} to exit`);
}

/** Waits until process `pid` is gone (signal 0 fails). */
export function waitForExit(pid: number, timeoutMs: number, what: string): Promise<true> {
  return waitFor(
    () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    },
    timeoutMs,
    what,
  );
}

/** `name` is a service (its first instance) or `service@port` (an added one). */
export function servicePid(name: string): number {
  return Number(readFileSync(join(REPO_ROOT, '.var/run', `${name}.pid`), 'utf8').trim());
}

/** Kills a service the hard way (no shutdown hooks), as a crash would. */
export async function killService(name: string): Promise<void> {
  const pid = servicePid(name);
  process.kill(pid, 'SIGKILL');
  await waitForExit(pid, 10_000, `${name} to exit`);
}

/** Restarts services with `env` added: SIGTERM (a clean stop) or SIGKILL (a crash). */
export async function restartServices(names: string[], env: Record<string, string> = {}, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  const pids = names.map(servicePid);
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
  for (const pid of pids) {
    await waitForExit(pid, 30_000, `process ${pid} to exit`);
  }
  await run('bash', [join(REPO_ROOT, 'scripts/services.sh'), 'start'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 180_000 });
}

export interface TenantCredentials {
  id: string;
  token: string;
  webhookSigningSecret: string;
}

/** The operator's admin token: ADMIN_TOKEN, or the one scripts/services.sh generated. */
export function adminToken(): string {
  return process.env.ADMIN_TOKEN ?? readFileSync(join(REPO_ROOT, '.var/admin-token'), 'utf8').trim();
}

export async function createTenant(name = 'e2e'): Promise<TenantCredentials> {
  const res = await fetch(`${GATEWAY}/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`creating a tenant answered ${res.status}: ${await res.text()}`);
  return res.json() as Promise<TenantCredentials>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small client for the public API, as a user would call it. */
export function apiClient(token: string) {
  const call = async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    raw?: string,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T> & { text: string }> => {
    const res = await fetch(`${GATEWAY}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* plain text (logs) */
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  };
  return {
    call,
    post: <T = any>(path: string, body?: unknown) => call<T>('POST', path, body),
    get: <T = any>(path: string) => call<T>('GET', path),
    patch: <T = any>(path: string, body?: unknown) => call<T>('PATCH', path, body),
    delete: <T = any>(path: string) => call<T>('DELETE', path),
    /** Polls GET /jobs/:id until the job reaches a terminal state. */
    waitForEnd: async (id: string, timeoutMs = 120_000) =>
      waitFor(
        async () => {
          const { body } = await call('GET', `/jobs/${id}`);
          return ['finished', 'error', 'manually_cancelled'].includes(body?.status) ? body : undefined;
        },
        timeoutMs,
        `job ${id} to end`,
        250,
      ),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** Publishes with kcat: a client that is not ours, as other systems on the broker would. */
export async function publishWithKcat(topic: string, key: string, value: string): Promise<void> {
  const child = run('kcat', ['-P', '-b', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', '-t', topic, '-k', key]);
  child.child.stdin!.end(value);
  await child;
}

/** Stops and starts the local broker (scripts/infra/kafka.sh), as a broker restart in production would. */
export async function restartBroker(downMs = 0): Promise<void> {
  await run('bash', [join(REPO_ROOT, 'scripts/infra/kafka.sh'), 'stop'], { timeout: 60_000 });
  await new Promise((done) => setTimeout(done, downMs));
  await run('bash', [join(REPO_ROOT, 'scripts/infra/kafka.sh'), 'start'], { timeout: 120_000 });
}

/** Restarts the machine's PostgreSQL cluster (every service's database drops its connections). */
export async function restartPostgres(): Promise<void> {
  const { stdout } = await run('pg_lsclusters', ['-h']);
  const [version, cluster] = stdout.trim().split('\n')[0].split(/\s+/);
  await run('pg_ctlcluster', [version, cluster, 'restart'], { timeout: 60_000 });
}
