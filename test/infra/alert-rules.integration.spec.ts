import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const OBSERVABILITY = join(ROOT, 'deploy/observability');

/** The alert rules as Prometheus itself reads them (promtool ships with Debian's prometheus package). */
describe('alert rules (deploy/observability/alerts.yml)', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', join(OBSERVABILITY, 'alerts.yml')]);
    expect(stdout).toMatch(/SUCCESS: 8 rules found/);
  });

  it('load in the Compose Prometheus configuration', async () => {
    const { stdout } = await run('promtool', ['check', 'config', join(OBSERVABILITY, 'prometheus.yml')]);
    expect(stdout).toMatch(/SUCCESS: 8 rules found/);
  });

  it('fire, and stay quiet, as their promtool unit tests expect', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: OBSERVABILITY });
    expect(stdout).toMatch(/SUCCESS/);
  });

  it('each link to a runbook entry that exists in docs/operations.md', () => {
    const rules = readFileSync(join(OBSERVABILITY, 'alerts.yml'), 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    const links = [...rules.matchAll(/runbook_url: docs\/operations\.md#(\S+)/g)].map((m) => m[1]);
    expect(links).toEqual(alerts.map((alert) => alert.toLowerCase()));
    const headings = new Set(
      [...readFileSync(join(ROOT, 'docs/operations.md'), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    expect(links.filter((anchor) => !headings.has(anchor))).toEqual([]);
  });
});
