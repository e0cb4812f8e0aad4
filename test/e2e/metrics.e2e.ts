import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '@vrs/testing';
import { serveDirectory, type MediaServer } from '../support/media-server';
import { exposedMetricNames, metricNamesInQuery } from '../support/metric-names';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus';
import { apiClient, createTenant, ensureServices, REPO_ROOT, SAMPLE_MEDIA, type ApiClient } from '../support/system';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const run = promisify(execFile);
const SERVICES = [
  { service: 'gateway', address: '127.0.0.1:3000' },
  { service: 'job-orchestrator', address: '127.0.0.1:3001' },
  { service: 'render-adapter', address: '127.0.0.1:3002' },
  { service: 'stitcher', address: '127.0.0.1:3003' },
  { service: 'notifier', address: '127.0.0.1:3004' },
];
const OBSERVABILITY = join(REPO_ROOT, 'deploy/observability');
const RULES = join(OBSERVABILITY, 'alerts.yml');

/** What the operator's Prometheus would see: the five services' /metrics, scraped by the real thing. */
describe('metrics, scraped by a real Prometheus', () => {
  let media: MediaServer;
  let hook: WebhookReceiver;
  let api: ApiClient;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    await ensureServices();
    media = await serveDirectory(SAMPLE_MEDIA);
    hook = await startWebhookReceiver();
    api = apiClient((await createTenant('metrics-e2e')).token);
    prometheus = await startPrometheus(SERVICES, [RULES]);
  });
  afterAll(async () => {
    await prometheus?.stop();
    await hook?.close();
    await media?.close();
  });

  const eventually = <T>(what: string, probe: () => Promise<T | undefined>) => waitFor(probe, 30_000, what, 500);

  it('scrapes all five services, each labelled with its own name', async () => {
    const up = await eventually('all five targets up', async () => {
      const result = await prometheus.query('up{job="vrs"} == 1');
      return result.length === SERVICES.length ? result : undefined;
    });
    expect(up.map((r) => r.metric.target).sort()).toEqual(SERVICES.map((s) => s.service).sort());
    const named = await prometheus.query('count by (service, target) (process_cpu_seconds_total{job="vrs"})');
    expect(named.map((r) => r.metric.service).sort()).toEqual(SERVICES.map((s) => s.service).sort());
    for (const r of named) expect(r.metric.service).toBe(r.metric.target);
  });

  it('moves the job, stitch, HTTP and webhook metrics with real jobs', async () => {
    const counters = {
      finished: 'sum(vrs_job_transitions_total{type="join", state="finished"})',
      queued: 'sum(vrs_job_transitions_total{type="join", state="queued"})',
      stitches: 'sum(vrs_stitch_duration_seconds_count)',
      copyJoin: 'sum(vrs_stitch_duration_seconds_count{method="copy-join"})',
      accepted: 'sum(vrs_http_request_duration_seconds_count{method="POST", route="/jobs/join", status="201"})',
      refused: 'sum(vrs_http_request_duration_seconds_count{method="POST", route="/jobs/join", status="400"})',
      delivered: 'sum(vrs_webhook_attempts_total{outcome="delivered"})',
    };
    await eventually('the first scrapes', async () => (await prometheus.query('up{job="vrs"} == 1')).length === SERVICES.length || undefined);
    const before = Object.fromEntries(await Promise.all(Object.entries(counters).map(async ([key, expr]) => [key, await prometheus.scalar(expr)])));

    const jobs = [
      { assets: ['video.mp4', 'sar_2x1.mp4', 'frames.webm', 'edts.mp4'].map((name) => ({ type: 'video', src: media.url(name) })) },
      {
        assets: [
          { type: 'video', src: media.url('video.mp4') },
          { type: 'video', src: media.url('video.mp4') },
        ],
      },
      { assets: [{ type: 'video', src: media.url('edts.mp4') }], webhook: { url: `${hook.url}/done` } },
    ];
    const ids: string[] = [];
    for (const body of jobs) {
      const created = await api.post('/jobs/join', body);
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    expect((await api.post('/jobs/join', { assets: [] })).status).toBe(400);
    for (const id of ids) expect((await api.waitForEnd(id, 240_000)).status).toBe('finished');
    await waitFor(() => hook.received.length > 0 || undefined, 30_000, 'the webhook');

    const moved = await eventually('the counters to move', async () => {
      const now = Object.fromEntries(
        await Promise.all(Object.entries(counters).map(async ([key, expr]) => [key, (await prometheus.scalar(expr)) - before[key]])),
      );
      return now.finished >= 3 && now.stitches >= 3 && now.accepted >= 3 && now.refused >= 1 && now.delivered >= 1 ? now : undefined;
    });
    expect(moved.queued).toBeGreaterThanOrEqual(3);
    // Every stitch is counted under the method its report names: these clips all end in the copy join
    // (the ones that differ once normalised); the general path is for what it cannot take.
    expect(moved.copyJoin).toBeGreaterThanOrEqual(3);
    const methods = (await prometheus.query('count by (method) (vrs_stitch_duration_seconds_count)')).map((r) => r.metric.method).sort();
    expect(methods).toEqual(['copy-join', 'general']);
    // The series exist from the start at 0, so increase() sees the jobs' first transitions too.
    expect(await prometheus.scalar('sum(increase(vrs_job_transitions_total{type="join", state="finished"}[10m]))')).toBeGreaterThanOrEqual(3);

    // Route labels are templates: the job ids polled above never become label values.
    const routes = (await prometheus.query('count by (route) (vrs_http_request_duration_seconds_count)')).map((r) => r.metric.route);
    expect(routes).toEqual(expect.arrayContaining(['/jobs/join', '/jobs/:id']));
    for (const id of ids) expect(routes.filter((route) => route.includes(id))).toEqual([]);
  }, 360_000);

  it("reads the gauges from their sources: active jobs from the orchestrator, each outbox, each group's lag", async () => {
    const active = await prometheus.query('vrs_jobs_active{service="job-orchestrator"}');
    expect(active.map((r) => `${r.metric.type}/${r.metric.state}`).sort()).toEqual([
      'join/pending',
      'join/queued',
      'join/render:dorender',
      'render/pending',
      'render/queued',
      'render/render:dorender',
    ]);
    const outboxes = await prometheus.query('vrs_outbox_oldest_message_age_seconds');
    expect(outboxes.map((r) => r.metric.service).sort()).toEqual(SERVICES.map((s) => s.service).sort());
    const lag = await eventually("the stitcher group's lag", async () => {
      const result = await prometheus.query('vrs_consumer_lag_messages{service="stitcher", group="stitcher", topic="stitch.requested"}');
      return result.length ? result : undefined;
    });
    expect(lag[0].value).toBeGreaterThanOrEqual(0);
    const groups = (await prometheus.query('count by (group) (vrs_consumer_lag_messages)')).map((r) => r.metric.group).sort();
    expect(groups).toEqual(['gateway', 'gateway-job-status', 'job-orchestrator', 'notifier', 'render-adapter', 'stitcher']);
    expect((await prometheus.query('vrs_webhook_circuits{service="notifier"}')).map((r) => r.metric.state).sort()).toEqual(['closed', 'half-open', 'open']);
  });

  it('exposes every metric the alert rules and the dashboard read, and Prometheus evaluates every rule cleanly', async () => {
    const exposed = new Set<string>();
    for (const { address } of SERVICES) {
      const res = await fetch(`http://${address}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const name of exposedMetricNames(await res.text())) exposed.add(name);
    }
    const rules = readFileSync(RULES, 'utf8');
    const dashboard = JSON.parse(readFileSync(join(OBSERVABILITY, 'grafana-dashboard.json'), 'utf8'));
    const dashboardQueries: string[] = dashboard.panels.flatMap((panel: { targets?: Array<{ expr: string }> }) => (panel.targets ?? []).map((t) => t.expr));
    const used = new Set([...metricNamesInQuery(rules), ...dashboardQueries.flatMap(metricNamesInQuery)]);
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);

    const { stdout } = await run('promtool', ['check', 'rules', RULES]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    const groups = await eventually('the rules to be evaluated', async () => {
      const data = await prometheus.get('/api/v1/rules');
      const all = data.groups.flatMap((g: { rules: Array<{ name: string; health: string; lastError?: string }> }) => g.rules);
      return all.length > 0 && all.every((rule: { health: string }) => rule.health !== 'unknown') ? all : undefined;
    });
    expect(groups.map((rule: { name: string }) => rule.name)).toEqual(expect.arrayContaining(['VrsJobsPastDeadline', 'VrsHttpErrorRateHigh']));
    expect(groups.filter((rule: { health: string }) => rule.health !== 'ok')).toEqual([]);
  });
});
