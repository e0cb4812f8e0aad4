import { metricsRegistry, renderMetrics } from './registry';
import { SampledGauge, sharedRead } from './sampled-gauge';

const seriesOf = async (name: string) => (await renderMetrics()).body.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('SampledGauge', () => {
  afterEach(() => metricsRegistry.removeSingleMetric('vrs_test_sampled'));

  it('shows what its sampler reads at each scrape, and only that', async () => {
    const gauge = new SampledGauge({ name: 'vrs_test_sampled', help: 'test', labelNames: ['kind'] as const });
    let rows = [
      { labels: { kind: 'a' }, value: 3 },
      { labels: { kind: 'b' }, value: 0 },
    ];
    gauge.sampleWith(async () => rows);
    expect(await seriesOf('vrs_test_sampled')).toEqual(['vrs_test_sampled{kind="a"} 3', 'vrs_test_sampled{kind="b"} 0']);
    rows = [{ labels: { kind: 'b' }, value: 7 }];
    expect(await seriesOf('vrs_test_sampled')).toEqual(['vrs_test_sampled{kind="b"} 7']);
  });

  it('shows no series (not stale ones) when its source fails or does not answer in time, and the scrape still succeeds', async () => {
    const gauge = new SampledGauge({ name: 'vrs_test_sampled', help: 'test', labelNames: ['kind'] as const }, 50);
    gauge.sampleWith(async () => [{ labels: { kind: 'a' }, value: 5 }]);
    expect(await seriesOf('vrs_test_sampled')).toEqual(['vrs_test_sampled{kind="a"} 5']);
    gauge.sampleWith(async () => {
      throw new Error('database down');
    });
    expect(await seriesOf('vrs_test_sampled')).toEqual([]);
    gauge.sampleWith(() => new Promise(() => undefined));
    expect(await seriesOf('vrs_test_sampled')).toEqual([]);
    expect((await renderMetrics()).body).toContain('# TYPE vrs_test_sampled gauge');
  });

  it('shows NaN, not 0 or an old value, for a gauge without labels whose source fails', async () => {
    const gauge = new SampledGauge({ name: 'vrs_test_sampled', help: 'test' });
    gauge.sampleWith(async () => [{ labels: {}, value: 5 }]);
    expect(await seriesOf('vrs_test_sampled')).toEqual(['vrs_test_sampled 5']);
    gauge.sampleWith(async () => {
      throw new Error('database down');
    });
    // prom-client writes "Nan"; Prometheus parses NaN in any case.
    expect(await seriesOf('vrs_test_sampled')).toEqual([expect.stringMatching(/^vrs_test_sampled nan$/i)]);
  });
});

describe('sharedRead', () => {
  it('reads once for the gauges of one scrape, afresh for the next, and never reuses a failure', async () => {
    let reads = 0;
    let fail = false;
    const read = sharedRead(async () => {
      reads += 1;
      if (fail) throw new Error('x');
      return reads;
    });
    expect(await Promise.all([read(), read()])).toEqual([1, 1]);
    expect(await read()).toBe(2);
    fail = true;
    await expect(read()).rejects.toThrow('x');
    fail = false;
    expect(await read()).toBe(4);
  });
});
