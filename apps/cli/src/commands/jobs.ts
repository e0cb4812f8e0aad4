import type { Command } from 'commander';
import { JOB_STATUSES, LIST_LIMITS, type JobList, type JobView } from '@vrs/contracts';
import { CliError } from '../cli-error';
import { table, type CliIo } from '../output/output';
import { commandContext } from './command-context';
import { assertFinished, waitForJob } from './job-outcome';

/** `--state finished,error`: each must be a job status. */
export function stateList(value: string): string[] {
  const states = value
    .split(',')
    .map((state) => state.trim())
    .filter(Boolean);
  const unknown = states.filter((state) => !(JOB_STATUSES as readonly string[]).includes(state));
  if (unknown.length > 0 || states.length === 0)
    throw new CliError(`--state takes a comma-separated list of ${JOB_STATUSES.join(', ')}; "${unknown[0] ?? value}" is none of them.`, 2);
  return states;
}

export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new CliError(`"${value}" is not a positive whole number.`, 2);
  return number;
}

const jobLine = (job: JobView) => [job.id, job.type, job.status, `${job.progress}%`, job.stats.createdAt, job.stats.error ?? ''];

export function registerJobs(program: Command, io: CliIo): void {
  program
    .command('jobs')
    .description("list the tenant's jobs, newest first")
    .option('-s, --state <states>', `only these statuses, comma-separated (${JOB_STATUSES.join(', ')})`, stateList)
    .option('-n, --limit <count>', `at most this many (1-${LIST_LIMITS.max})`, positiveInteger, LIST_LIMITS.default)
    .action(async (options: { state?: string[]; limit: number }, command: Command) => {
      const ctx = await commandContext(command, io);
      const query = new URLSearchParams({ limit: String(options.limit), ...(options.state ? { states: options.state.join(',') } : {}) });
      const { jobs } = await ctx.api.json<JobList>('GET', `/jobs?${query}`);
      ctx.out.result({ jobs }, () =>
        jobs.length === 0 ? ['no jobs'] : table([['ID', 'TYPE', 'STATUS', 'PROGRESS', 'CREATED', 'ERROR'], ...jobs.map(jobLine)]),
      );
    });

  program
    .command('job')
    .description('show one job, its log (--logs), or follow it to its end (--watch)')
    .argument('<id>', 'job id')
    .option('-l, --logs', "print the job's log instead")
    .option('--watch', 'follow the job until it ends; exit non-zero when it fails')
    .action(async (id: string, options: { logs?: boolean; watch?: boolean }, command: Command) => {
      const ctx = await commandContext(command, io);
      const job = options.watch ? await waitForJob(ctx, id) : await ctx.api.json<JobView>('GET', `/jobs/${encodeURIComponent(id)}`);
      if (options.logs) {
        const log = await ctx.api.text(`/jobs/${encodeURIComponent(id)}/logs`);
        ctx.out.result({ id, status: job.status, log }, () => log.trimEnd());
      } else {
        ctx.out.result(job, () => [
          `${job.id}  ${job.type}  ${job.status}  ${job.progress}%`,
          `output: ${job.outputUrl}`,
          ...(job.uploadedUrl ? [`uploaded: ${job.uploadedUrl}`] : []),
          ...(job.stats?.error ? [`error: ${job.stats.error}`] : []),
        ]);
      }
      if (options.watch) assertFinished(job);
    });

  program
    .command('cancel')
    .description('cancel jobs; exits non-zero when any could not be cancelled')
    .argument('<ids...>', 'job ids')
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const ctx = await commandContext(command, io);
      const answer = await ctx.api.json<{ jobs: Array<{ id: string; result: string }> }>('POST', '/jobs/cancel', { jobs: ids });
      ctx.out.result(answer, () => answer.jobs.map((job) => `${job.id}  ${job.result}`));
      const refused = answer.jobs.filter((job) => job.result !== 'cancel_requested');
      if (refused.length > 0)
        throw new CliError(`${refused.length} of ${ids.length} job(s) could not be cancelled: ${refused.map((job) => `${job.id} ${job.result}`).join(', ')}.`);
    });
}
