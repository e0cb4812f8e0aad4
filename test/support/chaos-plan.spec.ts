import { chaosPlan, seededRandom, summaryTable } from './chaos-plan';

describe('chaos plan', () => {
  it('replays the same run for the same seed and another for another seed', () => {
    const a = chaosPlan(8, seededRandom(42)).map((job) => job.cancelAfterMs);
    expect(chaosPlan(8, seededRandom(42)).map((job) => job.cancelAfterMs)).toEqual(a);
    expect(chaosPlan(8, seededRandom(43)).map((job) => job.cancelAfterMs)).not.toEqual(a);
  });

  it('has every kind of job even in a small run', () => {
    expect(new Set(chaosPlan(5, seededRandom(1)).map((job) => job.kind))).toEqual(
      new Set(['join', 'render-join', 'kafka-join', 'cancel-race', 'cancel-first']),
    );
  });

  it('counts jobs that did not end', () => {
    const jobs = chaosPlan(2, seededRandom(1));
    jobs[0].final = { status: 'finished', stats: { error: null } };
    expect(summaryTable(jobs)).toContain('| join | 1 | 1 | 0 | 0 | 0 |');
    expect(summaryTable(jobs)).toContain('| render-join | 1 | 0 | 0 | 0 | 1 |');
  });
});
