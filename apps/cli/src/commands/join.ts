import type { Command } from 'commander';
import type { CliIo } from '../output/output';
import { commandContext } from './command-context';
import { followSubmitted } from './job-outcome';
import { sourceFor } from './sources';

/** vrs join a.mp4 https://…/b.mp4 --wait --out joined.mp4 */
export function registerJoin(program: Command, io: CliIo): void {
  program
    .command('join')
    .description('join clips (local files are uploaded first, URLs are fetched by the platform) into one MP4')
    .argument('<sources...>', 'local video files, http(s) URLs or upload:// sources, in order')
    .option('-w, --wait', 'wait until the job ends; exit non-zero when it fails')
    .option('-o, --out <file>', 'save the joined MP4 here (implies --wait)')
    .action(async (sources: string[], options: { wait?: boolean; out?: string }, command: Command) => {
      const ctx = await commandContext(command, io);
      const assets = [];
      for (const source of sources) assets.push({ type: 'video', src: await sourceFor(source, 'video', ctx.api, ctx.progress) });
      await followSubmitted(ctx, await ctx.api.json('POST', '/jobs/join', { assets }), options);
    });
}
