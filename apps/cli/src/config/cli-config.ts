import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from '../cli-error';

export interface Connection {
  url: string;
  token: string;
}

/** ~/.config/vrs/config.json, or under $XDG_CONFIG_HOME. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'vrs', 'config.json');
}

async function readStored(path: string): Promise<Partial<Connection>> {
  try {
    const stored = JSON.parse(await readFile(path, 'utf8')) as Partial<Connection>;
    return { url: typeof stored.url === 'string' ? stored.url : undefined, token: typeof stored.token === 'string' ? stored.token : undefined };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`The configuration file ${path} cannot be read (${(error as Error).message}); fix it or run "vrs login" again.`);
  }
}

/** Where to connect: --url/--token, else VRS_URL/VRS_TOKEN, else what "vrs login" saved. */
export async function resolveConnection(flags: { url?: string; token?: string }, env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  const stored = await readStored(configPath(env));
  const url = flags.url ?? env.VRS_URL ?? stored.url;
  const token = flags.token ?? env.VRS_TOKEN ?? stored.token;
  if (!url) throw new CliError('No VRS address: pass --url, set VRS_URL or run "vrs login --url <address> --token <token>".');
  if (!token) throw new CliError('No API token: pass --token, set VRS_TOKEN or run "vrs login --url <address> --token <token>".');
  return { url: normaliseUrl(url), token };
}

export function normaliseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('not http(s)');
  } catch {
    throw new CliError(`"${url}" is not an http(s) address of a VRS gateway (for example http://127.0.0.1:3000).`);
  }
  return url.replace(/\/+$/, '');
}

/** Saves the connection for later commands, readable by the user only (the token is a secret). */
export async function saveConnection(connection: Connection, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const path = configPath(env);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600); // an existing file keeps its old mode on write
  return path;
}
