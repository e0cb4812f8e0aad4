import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { BULK_LIMITS, type BatchCreated, type BatchView } from '@vrs/contracts';
import { CliError } from '../cli-error';
import type { CliIo } from '../output/output';
import { commandContext, type CommandContext } from './command-context';
import { readJsonFile } from './read-json-file';
import { isRemoteSource, sourceFor, type MediaKind } from './sources';

/** `{jobs: [...]}` or a bare list of job bodies. */
export function batchJobs(file: string, content: unknown): unknown[] {
  const jobs = Array.isArray(content) ? content : (content as { jobs?: unknown })?.jobs;
  if (!Array.isArray(jobs)) throw new CliError(`${file} must hold a list of jobs or {"jobs": [...]} (render or join bodies, as POST /batches takes).`);
  return jobs;
}

/** Local files named as `src` anywhere in the jobs are uploaded (paths relative to the batch file). */
async function uploadLocalSources(value: unknown, ctx: CommandContext, baseDir: string, kind: MediaKind = 'video'): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((item) => uploadLocalSources(item, ctx, baseDir)));
  if (typeof value !== 'object' || value === null) return value;
  const entries = await Promise.all(
    Object.entries(value).map(async ([key, field]) => {
      if (key === 'src' && typeof field === 'string' && !isRemoteSource(field)) {
        const type = (value as { type?: string }).type;
        return [key, await sourceFor(field, type === 'image' || type === 'audio' ? type : kind, ctx.api, ctx.progress, baseDir)];
      }
      return [key, await uploadLocalSources(field, ctx, baseDir)];
    }),
  );
  return Object.fromEntries(entries);
}

export function registerBatch(program: Command, io: CliIo): void {
  program
    .command('batch')
    .description(`create up to ${BULK_LIMITS.batchJobs} jobs from a JSON file; exits non-zero when any entry is refused or (with --wait) fails`)
    .argument('<file>', 'JSON: {"jobs": [...]} or [...]')
    .option('-w, --wait', 'wait until every job has ended')
    .action(async (file: string, options: { wait?: boolean }, command: Command) => {
      const ctx = await commandContext(command, io);
      const jobs = await uploadLocalSources(batchJobs(file, await readJsonFile(file)), ctx, dirname(file));
      const created = await ctx.api.json<BatchCreated>('POST', '/batches', { jobs });
      let progress: BatchView | undefined;
      if (options.wait) {
        ctx.progress.start(`batch ${created.batchId}`, created.successCount, '%');
        try {
          do {
            if (progress) await sleep(ctx.pollMs);
            progress = await ctx.api.json<BatchView>('GET', `/batches/${encodeURIComponent(created.batchId)}`);
            ctx.progress.update(progress.stats.finished + progress.stats.error);
          } while (progress.status === 'processing');
        } finally {
          ctx.progress.stop();
        }
      }
      ctx.out.result({ ...created, ...(progress ? { progress } : {}) }, () => [
        `batch ${created.batchId} ${created.status}: ${created.successCount} of ${created.totalJobs} job(s) created`,
        ...(created.errors ?? []).map((error) => `  jobs[${error.index}]: ${error.error}`),
        ...(progress ? [`ended: ${progress.stats.finished} finished, ${progress.stats.error} failed or cancelled`] : []),
      ]);
      if (created.status !== 'created')
        throw new CliError(`${created.totalJobs - created.successCount} of ${created.totalJobs} job(s) in ${file} were refused (see above).`);
      if (progress && progress.stats.error > 0) throw new CliError(`${progress.stats.error} job(s) of batch ${created.batchId} failed or were cancelled.`);
    });
}
