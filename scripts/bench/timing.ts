/** Wall-clock seconds of one piece of work. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The median of a few runs. */
export function middle(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** Seconds as the tables print them. */
export function s(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}
