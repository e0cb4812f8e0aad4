import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration, LabelValues } from 'prom-client';

/**
 * The process's one Prometheus registry: every library and service registers its metrics here and
 * `/metrics` (libs/service-kit) serves it. Metric names carry the `vrs_` prefix and base units;
 * label values come from small fixed sets (never job ids, tenant ids or URLs).
 */
export const metricsRegistry = new Registry();

let processMetricsStarted = false;

/**
 * Labels every series with the service's name and adds Node's process metrics (CPU, memory, event
 * loop lag, GC) under their standard `process_`/`nodejs_` names, so stock dashboards read them.
 */
export function startProcessMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** Histogram buckets (seconds) for media work: from a short copy join to a long render or re-encode. */
export const MEDIA_WORK_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200];

/** Histogram buckets (seconds) for HTTP requests. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Named<C> = Omit<C, 'registers'>;

export const counter = <L extends string>(config: Named<CounterConfiguration<L>>) => new Counter<L>({ ...config, registers: [metricsRegistry] });

export const histogram = <L extends string>(config: Named<HistogramConfiguration<L>>) => new Histogram<L>({ ...config, registers: [metricsRegistry] });

export const gauge = <L extends string>(config: Named<GaugeConfiguration<L>>) => new Gauge<L>({ ...config, registers: [metricsRegistry] });

/** Runs `work` and, when it succeeds, records how long it took under the labels its result gives. */
export async function timeSuccess<L extends string, R>(metric: Histogram<L>, labels: (result: R) => LabelValues<L>, work: () => Promise<R>): Promise<R> {
  const started = performance.now();
  const result = await work();
  metric.observe(labels(result), (performance.now() - started) / 1000);
  return result;
}

/** The registry in Prometheus' text format, and the content type to serve it with. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
