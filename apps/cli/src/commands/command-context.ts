import type { Command } from 'commander';
import { VrsApi } from '../api/vrs-api';
import { resolveConnection } from '../config/cli-config';
import { Output, type CliIo } from '../output/output';
import { ProgressDisplay } from '../output/progress';

export interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** What every command works with: the API, its output and the progress bar. */
export interface CommandContext {
  api: VrsApi;
  out: Output;
  progress: ProgressDisplay;
  pollMs: number;
}

export async function commandContext(command: Command, io: CliIo): Promise<CommandContext> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const json = options.json === true;
  return {
    api: new VrsApi(await resolveConnection(options, io.env)),
    out: new Output(io, json),
    progress: new ProgressDisplay(io.interactive && !json),
    pollMs: Number(io.env.VRS_POLL_MS ?? 1000),
  };
}
