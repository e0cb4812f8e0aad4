import type { Gauge } from 'prom-client';
import { logger } from '../json-logger';
import { gauge } from './registry';

export interface GaugeSample<L extends string> {
  labels: Partial<Record<L, string>>;
  value: number;
}

export type Sampler<L extends string> = () => Promise<GaugeSample<L>[]>;

/** How long one scrape waits for a sample (a database or broker query) before it leaves the gauge empty. */
export const SAMPLE_TIMEOUT_MS = 3_000;

/**
 * A gauge whose values are read from a source (a table, the broker) at scrape time, so they are never
 * stale. The sampler is bound when the source exists (at service start). When it fails or is slow,
 * the gauge shows no series for that scrape (NaN for a gauge without labels, which always has its
 * one series), not old values: the value is unknown, and no alert compares true against it.
 */
export class SampledGauge<L extends string> {
  private readonly log = logger('metrics');
  private sampler?: Sampler<L>;
  readonly gauge: Gauge<L>;

  private readonly name: string;
  private readonly labelled: boolean;

  constructor(
    config: { name: string; help: string; labelNames?: readonly L[] },
    private readonly timeoutMs = SAMPLE_TIMEOUT_MS,
  ) {
    this.name = config.name;
    this.labelled = Boolean(config.labelNames?.length);
    const refresh = () => this.refresh();
    this.gauge = gauge<L>({ ...config, labelNames: config.labelNames ?? [], collect: refresh });
  }

  sampleWith(sampler: Sampler<L>): void {
    this.sampler = sampler;
  }

  async refresh(): Promise<void> {
    const sampler = this.sampler;
    if (!sampler) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      const samples = await Promise.race([
        sampler(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
      this.gauge.reset();
      for (const sample of samples) this.gauge.set(sample.labels, sample.value);
    } catch (error) {
      this.gauge.reset();
      if (!this.labelled) this.gauge.set(Number.NaN);
      this.log.warn('metric not sampled', { metric: this.name, error: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * One read shared by the gauges sampled from it: a scrape collects them all at once, so a query that
 * feeds two gauges runs once per scrape, not twice. Only a read in flight is shared; the next scrape
 * reads afresh.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
