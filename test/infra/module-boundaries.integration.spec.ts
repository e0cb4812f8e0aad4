import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
const env = { ...process.env, NX_DAEMON: 'false' };

/** Lints `code` as if it were `file`, with the project's own ESLint config; returns the module-boundary errors. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const lint = run('npx', ['eslint', '--stdin', '--stdin-filename', file, '--format', 'json'], { cwd: ROOT, env, timeout: 120_000 });
  lint.child.stdin!.end(code);
  const output = await lint.then((done) => done.stdout, (failed) => failed.stdout as string);
  const [result] = JSON.parse(output) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

// The Nx rule needs the project graph, which `nx show projects` computes (as `npm run lint` does).
describe('Nx module boundaries', () => {
  beforeAll(() => run('npx', ['nx', 'show', 'projects'], { cwd: ROOT, env, timeout: 120_000 }), 150_000);

  it('refuses an app importing another app', async () => {
    const errors = await boundaryErrors('apps/stitcher/src/probe.ts', "import { GATEWAY_GROUP } from '../../gateway/src/app.module';\nexport const x = GATEWAY_GROUP;\n");
    expect(errors).toHaveLength(1);
  });

  it('refuses the CLI importing a service (it is a client of the public API only)', async () => {
    const errors = await boundaryErrors('apps/cli/src/probe.ts', "import { JobIntake } from '../../gateway/src/application/job-intake';\nexport const x = JobIntake;\n");
    expect(errors).toHaveLength(1);
  });

  it('allows an app importing a library through its alias', async () => {
    expect(await boundaryErrors('apps/stitcher/src/probe.ts', "import { TOPICS } from '@vrs/contracts';\nexport const x = TOPICS;\n")).toEqual([]);
  });
});
