import type { Command } from 'commander';
import { VrsApi } from '../api/vrs-api';
import { CliError } from '../cli-error';
import { normaliseUrl, saveConnection } from '../config/cli-config';
import { Output, type CliIo } from '../output/output';
import type { GlobalOptions } from './command-context';

export function registerLogin(program: Command, io: CliIo): void {
  program
    .command('login')
    .description('check an address and token, and save them (mode 0600) for later commands')
    .action(async (_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const url = options.url ?? io.env.VRS_URL;
      const token = options.token ?? io.env.VRS_TOKEN;
      if (!url || !token) throw new CliError('vrs login needs --url and --token (or VRS_URL and VRS_TOKEN).', 2);
      const connection = { url: normaliseUrl(url), token };
      await new VrsApi(connection).json('GET', '/jobs?limit=1');
      const path = await saveConnection(connection, io.env);
      new Output(io, options.json === true).result({ url: connection.url, config: path }, () => `logged in to ${connection.url}; saved to ${path}`);
    });
}
