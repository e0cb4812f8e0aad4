import { Command } from 'commander';
import { registerBatch } from './commands/batch';
import { registerJobs } from './commands/jobs';
import { registerJoin } from './commands/join';
import { registerLogin } from './commands/login';
import { registerRender } from './commands/render';
import { registerTemplates } from './commands/templates';
import type { CliIo } from './output/output';

/** The `vrs` command line: every command, its options and the global ones (--url, --token, --json). */
export function buildProgram(io: CliIo, version: string): Command {
  const program = new Command('vrs')
    .description('Video render-and-stitch platform: join clips, render templates, follow jobs')
    .version(version)
    .option('--url <url>', 'gateway address (default: VRS_URL, then the saved login)')
    .option('--token <token>', 'API token (default: VRS_TOKEN, then the saved login)')
    .option('--json', 'print results as JSON, for scripts (no progress bars)')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerJoin(program, io);
  registerRender(program, io);
  registerJobs(program, io);
  registerTemplates(program, io);
  registerBatch(program, io);
  registerLogin(program, io);
  return program;
}
