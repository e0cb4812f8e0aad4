import { TERMINAL_STATUSES, type JobStatus } from '@vrs/contracts';

/** What the chaos suite submits and what it found at the end, one row per job. */
export type JobKind = 'join' | 'render-join' | 'kafka-join' | 'cancel-race' | 'cancel-first';

export interface ChaosJob {
  n: number;
  kind: JobKind;
  /** For `cancel-race`: how long after its acceptance the cancel is sent. */
  cancelAfterMs: number;
  id?: string;
  final?: { status: string; stats: { error: string | null } };
  webhookIds?: Set<string>;
  stitches?: number;
  outputs?: number;
}

const KINDS: JobKind[] = ['join', 'render-join', 'kafka-join', 'cancel-race', 'cancel-first'];

/** A reproducible run: mulberry32, so a failing seed can be replayed with CHAOS_SEED. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every kind in turn, so even a small run has each; `cancel-race` cancels through the API 0..1.5 s after
 * acceptance, `cancel-first` publishes the cancel on Kafka before the job (the cancel overtakes it).
 */
export function chaosPlan(count: number, random: () => number): ChaosJob[] {
  return Array.from({ length: count }, (_, n) => ({ n, kind: KINDS[n % KINDS.length], cancelAfterMs: Math.floor(random() * 1500) }));
}

/** The table the suite prints: per kind, how jobs ended and what each produced. */
export function summaryTable(jobs: ChaosJob[]): string {
  const rows = KINDS.map((kind) => {
    const of = jobs.filter((job) => job.kind === kind);
    const count = (status: string) => of.filter((job) => job.final?.status === status).length;
    const sum = (pick: (job: ChaosJob) => number) => of.reduce((total, job) => total + pick(job), 0);
    const ended = of.filter((job) => TERMINAL_STATUSES.includes(job.final?.status as JobStatus)).length;
    return [
      kind,
      of.length,
      count('finished'),
      count('manually_cancelled'),
      count('error'),
      of.length - ended,
      sum((job) => job.outputs ?? 0),
      sum((job) => job.stitches ?? 0),
      sum((job) => job.webhookIds?.size ?? 0),
    ];
  });
  const header = ['kind', 'jobs', 'finished', 'cancelled', 'error', 'not ended', 'outputs', 'stitches', 'webhook ids'];
  return [header, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}
