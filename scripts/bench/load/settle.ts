import { readFileSync } from 'node:fs';

/**
 * Waits (at most two minutes) until the machine is nearly idle: the work an earlier scenario left behind
 * (a backlog being cancelled, outputs being written back) would otherwise be measured as this one's.
 */
export async function untilSettled(maxBusy = 0.25, timeoutMs = 120_000): Promise<void> {
  const ticks = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = ticks();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const delta = ticks().map((value, i) => value - before[i]);
    // user nice system idle iowait ...: busy is everything but idle and iowait.
    const busy = 1 - (delta[3] + delta[4]) / delta.reduce((a, b) => a + b, 0);
    if (busy <= maxBusy) return;
    if (Date.now() > deadline) return void console.log(`load: the machine is still ${(busy * 100).toFixed(0)}% busy; going on`);
    console.log(`load: waiting for the machine to settle (${(busy * 100).toFixed(0)}% busy)`);
  }
}
