import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TERMINAL_STATUSES, type JobView } from '@vrs/contracts';
import { CliError } from '../cli-error';
import type { CommandContext } from './command-context';

export const isEnded = (job: Pick<JobView, 'status'>) => TERMINAL_STATUSES.includes(job.status);

/** Polls the job until it ends, showing its progress. */
export async function waitForJob(ctx: CommandContext, id: string): Promise<JobView> {
  ctx.progress.start(`job ${id}`, 100, '%');
  try {
    for (;;) {
      const job = await ctx.api.json<JobView>('GET', `/jobs/${encodeURIComponent(id)}`);
      ctx.progress.update(job.progress, `job ${id} ${job.status}`);
      if (isEnded(job)) return job;
      await sleep(ctx.pollMs);
    }
  } finally {
    ctx.progress.stop();
  }
}

/** Throws the job's own error when it did not finish: the process then exits non-zero. */
export function assertFinished(job: JobView): void {
  if (job.status === 'error') throw new CliError(`Job ${job.id} failed: ${job.stats?.error ?? 'no reason was recorded'}`);
  if (job.status === 'manually_cancelled') throw new CliError(`Job ${job.id} was cancelled.`);
}

/** After a job was accepted: print it, or (with --wait / --out) wait for its end, save the output, print the result. */
export async function followSubmitted(
  ctx: CommandContext,
  created: { id: string; status: string; outputUrl: string },
  options: { wait?: boolean; out?: string },
): Promise<void> {
  if (!options.wait && !options.out) {
    ctx.out.result(created, () => [`job ${created.id} ${created.status}`, `output (when finished): ${created.outputUrl}`]);
    return;
  }
  ctx.out.note(`job ${created.id} ${created.status}`);
  const job = await waitForJob(ctx, created.id);
  let savedTo: string | undefined;
  if (job.status === 'finished' && options.out) {
    savedTo = resolve(options.out);
    ctx.progress.start(`download ${options.out}`, 0, 'bytes');
    try {
      await ctx.api.download(job.outputUrl, savedTo, (done, total) => {
        ctx.progress.update(done);
        if (total) ctx.progress.setTotal(total);
      });
    } finally {
      ctx.progress.stop();
    }
  }
  ctx.out.result({ ...job, ...(savedTo ? { savedTo } : {}) }, () => [
    `job ${job.id} ${job.status}`,
    ...(job.status === 'finished' ? [`output: ${job.outputUrl}`] : []),
    ...(savedTo ? [`saved: ${savedTo}`] : []),
  ]);
  assertFinished(job);
}
