import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { CliError } from './cli-error';
import { batchJobs } from './commands/batch';
import { positiveInteger, stateList } from './commands/jobs';
import { layerAssignment } from './commands/render';
import { contentTypeFor, isRemoteSource } from './commands/sources';
import { configPath, resolveConnection, saveConnection } from './config/cli-config';
import { buildProgram } from './program';

function program(env: NodeJS.ProcessEnv = {}) {
  const written = { stdout: '', stderr: '' };
  const built = buildProgram(
    {
      stdout: (t) => {
        written.stdout += t;
      },
      stderr: (t) => {
        written.stderr += t;
      },
      env,
      interactive: false,
    },
    '0.0.0',
  ).exitOverride();
  built.commands.forEach((command) => command.exitOverride());
  return { built, written, parse: (...args: string[]) => built.parseAsync(['node', 'vrs', ...args]) };
}

describe('vrs argument parsing', () => {
  it('refuses a command without its required arguments or options, before any request', async () => {
    await expect(program().parse('join')).rejects.toBeInstanceOf(CommanderError);
    const { parse, written } = program();
    await expect(parse('render', 'tpl')).rejects.toMatchObject({ code: 'commander.missingMandatoryOptionValue' });
    expect(written.stderr).toContain('--composition');
  });

  it('refuses an unknown --state with exit code 2 and names it', async () => {
    await expect(program().parse('jobs', '--state', 'finished,done')).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('"done"') });
    expect(stateList('finished, error')).toEqual(['finished', 'error']);
    expect(() => positiveInteger('0')).toThrow(CliError);
    expect(positiveInteger('25')).toBe(25);
  });

  it('asks for an address and a token when none is given anywhere', async () => {
    const home = await mkdtemp(join(tmpdir(), 'vrs-cli-spec-'));
    await expect(program({ XDG_CONFIG_HOME: home }).parse('jobs')).rejects.toMatchObject({ message: expect.stringContaining('No VRS address') });
    await expect(program({ XDG_CONFIG_HOME: home, VRS_URL: 'http://x' }).parse('jobs')).rejects.toMatchObject({
      message: expect.stringContaining('No API token'),
    });
    await expect(program({ XDG_CONFIG_HOME: home, VRS_URL: 'ftp://x', VRS_TOKEN: 't' }).parse('jobs')).rejects.toMatchObject({
      message: expect.stringContaining('not an http(s) address'),
    });
  });

  it('parses repeatable LAYER=VALUE options, keeping "=" inside values', () => {
    expect(layerAssignment('b=2=3', layerAssignment('title=Hello'))).toEqual([
      ['title', 'Hello'],
      ['b', '2=3'],
    ]);
    expect(() => layerAssignment('=x')).toThrow(CliError);
    expect(() => layerAssignment('title')).toThrow(CliError);
  });

  it('tells remote sources from local files, and announces files with their media type', () => {
    expect(isRemoteSource('https://cdn.example/a.mp4')).toBe(true);
    expect(isRemoteSource('upload://0b6a3c52-1f0e-4f7e-9a51-6f1c5e1b2a3d')).toBe(true);
    expect(isRemoteSource('upload://../../etc/passwd')).toBe(false);
    expect(isRemoteSource('clips/a.mp4')).toBe(false);
    expect(contentTypeFor('a.MOV', 'video')).toBe('video/quicktime');
    expect(contentTypeFor('logo.jpg', 'image')).toBe('image/jpeg');
    expect(contentTypeFor('voice.unknown', 'audio')).toBe('audio/mpeg');
  });

  it('takes a batch file as {jobs: [...]} or a bare list', () => {
    expect(batchJobs('b.json', { jobs: [1] })).toEqual([1]);
    expect(batchJobs('b.json', [2])).toEqual([2]);
    expect(() => batchJobs('b.json', { job: [] })).toThrow(/b\.json must hold a list/);
  });
});

describe('vrs configuration', () => {
  it('prefers flags over env over the saved login, and saves the login readable by the user only', async () => {
    const env = { XDG_CONFIG_HOME: await mkdtemp(join(tmpdir(), 'vrs-cli-spec-')) };
    const path = await saveConnection({ url: 'http://saved:3000', token: 'saved-token' }, env);
    expect(path).toBe(configPath(env));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ url: 'http://saved:3000', token: 'saved-token' });
    expect(await resolveConnection({}, env)).toEqual({ url: 'http://saved:3000', token: 'saved-token' });
    expect(await resolveConnection({}, { ...env, VRS_URL: 'http://env:1/', VRS_TOKEN: 'env-token' })).toEqual({ url: 'http://env:1', token: 'env-token' });
    expect(await resolveConnection({ url: 'http://flag:2', token: 'flag-token' }, { ...env, VRS_URL: 'http://env:1' })).toEqual({
      url: 'http://flag:2',
      token: 'flag-token',
    });
    await writeFile(path, 'not json');
    await expect(resolveConnection({}, env)).rejects.toThrow(/cannot be read/);
  });
});
