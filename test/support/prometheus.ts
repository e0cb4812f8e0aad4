import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, waitFor } from '@vrs/testing';

export interface PrometheusTarget {
  service: string;
  address: string;
}

export interface RunningPrometheus {
  url: string;
  /** Instant query through /api/v1/query: the result vector. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  /** The single value of `expr`, 0 when the vector is empty (a counter no one has incremented). */
  scalar(expr: string): Promise<number>;
  get(path: string): Promise<any>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus (Debian's package) scraping `targets` every second under job "vrs", with
 * `ruleFiles` loaded; its data lives in a temporary folder removed by `stop`.
 */
export async function startPrometheus(targets: PrometheusTarget[], ruleFiles: string[] = []): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-prometheus-'));
  const port = await closedPort();
  const config = [
    'global: { scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s }',
    `rule_files: ${JSON.stringify(ruleFiles)}`,
    'scrape_configs:',
    '  - job_name: vrs',
    '    static_configs:',
    ...targets.map((target) => `      - { targets: [${JSON.stringify(target.address)}], labels: { target: ${JSON.stringify(target.service)} } }`),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk) => {
    log = (log + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: any; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error}`);
    return body.data;
  };
  const query = async (expr: string) => {
    const data = await get(`/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (data.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${log}`);
        return (
          (await fetch(`${url}/-/ready`).then(
            (res) => res.ok,
            () => false,
          )) || undefined
        );
      },
      30_000,
      'Prometheus to be ready',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    get,
    query,
    stop,
    scalar: async (expr) => (await query(expr))[0]?.value ?? 0,
  };
}
