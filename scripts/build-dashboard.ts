// Builds the web dashboard (apps/dashboard) into dist/apps/dashboard, which the gateway serves at /app:
// one bundled, minified script (Preact included, nothing from a CDN), the stylesheet and index.html.
//   node dist/scripts/build-dashboard.js     (part of `npm run build` and scripts/prepare.sh)
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(__dirname, '..', '..');
const SOURCE = join(ROOT, 'apps', 'dashboard', 'src');
const OUT = join(ROOT, 'dist', 'apps', 'dashboard');

async function main(): Promise<void> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const result = await build({
    entryPoints: [join(SOURCE, 'main.tsx')],
    outfile: join(OUT, 'app.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(ROOT, 'apps', 'dashboard', 'tsconfig.json'),
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  await Promise.all(['index.html', 'styles.css', 'favicon.svg'].map((name) => copyFile(join(SOURCE, name), join(OUT, name))));
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  console.log(`build-dashboard: ${OUT} (${Math.round(bytes / 1024)} KiB with source map)`);
}

main().catch((error) => {
  console.error('build-dashboard failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
