// Lets plain `node dist/scripts/bench/stitch.js` resolve the @vrs/* aliases to the compiled libraries in dist/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

const distRoot = join(__dirname, '..', '..');
const { compilerOptions } = JSON.parse(readFileSync(join(distRoot, '..', 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
register({ baseUrl: distRoot, paths: compilerOptions.paths });
