import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
const env = { ...process.env, NX_DAEMON: 'false' };

/** Lints `code` as if it were `file`, with the project's own ESLint config; returns the errors of `rule`. */
async function lintErrors(file: string, code: string, rule: string): Promise<string[]> {
  const lint = run('npx', ['eslint', '--stdin', '--stdin-filename', file, '--format', 'json'], { cwd: ROOT, env, timeout: 120_000 });
  lint.child.stdin!.end(code);
  const output = await lint.then(
    (done) => done.stdout,
    (failed) => failed.stdout as string,
  );
  const [result] = JSON.parse(output) as Array<{ messages: Array<{ ruleId: string; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

const boundaryErrors = (file: string, code: string) => lintErrors(file, code, '@nx/enforce-module-boundaries');
const layerErrors = (file: string, code: string) => lintErrors(file, code, 'no-restricted-imports');

// The Nx rule needs the project graph, which `nx show projects` computes (as `npm run lint` does).
describe('Nx module boundaries', () => {
  beforeAll(() => run('npx', ['nx', 'show', 'projects'], { cwd: ROOT, env, timeout: 120_000 }), 150_000);

  it('refuses an app importing another app', async () => {
    const errors = await boundaryErrors(
      'apps/stitcher/src/probe.ts',
      "import { GATEWAY_GROUP } from '../../gateway/src/app.module';\nexport const x = GATEWAY_GROUP;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('refuses the CLI importing a service (it is a client of the public API only)', async () => {
    const errors = await boundaryErrors(
      'apps/cli/src/probe.ts',
      "import { JobIntake } from '../../gateway/src/application/job-intake';\nexport const x = JobIntake;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('allows an app importing a library through its alias', async () => {
    expect(await boundaryErrors('apps/stitcher/src/probe.ts', "import { TOPICS } from '@vrs/contracts';\nexport const x = TOPICS;\n")).toEqual([]);
  });
});

// The layers inside a service (docs/architecture.md, "Layers inside a service").
describe('layer rules', () => {
  it('keeps framework and infrastructure out of the domain', async () => {
    const errors = await layerErrors(
      'apps/job-orchestrator/src/domain/probe.ts',
      "import { Injectable } from '@nestjs/common';\nimport { EntityManager } from 'typeorm';\nimport { SqlJobStore } from '../infrastructure/sql-job-store';\nexport const x = [Injectable, EntityManager, SqlJobStore];\n",
    );
    expect(errors).toHaveLength(3);
    expect(await layerErrors('apps/job-orchestrator/src/domain/probe.ts', "import { TOPICS } from '@vrs/contracts';\nexport const x = TOPICS;\n")).toEqual([]);
  });

  it('keeps SQL, the outbox writer and the adapters out of handlers, which use ports', async () => {
    const errors = await layerErrors(
      'apps/gateway/src/commands/probe/probe.handler.ts',
      "import { DataSource } from 'typeorm';\nimport { enqueueEvent } from '@vrs/messaging';\nimport { SqlJobViews } from '../../infrastructure/sql-job-views';\nexport const x = [DataSource, enqueueEvent, SqlJobViews];\n",
    );
    expect(errors).toHaveLength(3);
    expect(
      await layerErrors(
        'apps/gateway/src/commands/probe/probe.handler.ts',
        "import { JOB_VIEWS } from '../../application/ports/job-views.port';\nimport { EVENT_OUTBOX } from '@vrs/service-kit';\nexport const x = [JOB_VIEWS, EVENT_OUTBOX];\n",
      ),
    ).toEqual([]);
  });

  it('keeps TypeORM out of controllers', async () => {
    expect(
      await layerErrors('apps/gateway/src/queries/probe/probe.controller.ts', "import { DataSource } from 'typeorm';\nexport const x = DataSource;\n"),
    ).toHaveLength(1);
  });
});
