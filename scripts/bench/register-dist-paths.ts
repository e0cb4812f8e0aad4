// Lets plain `node dist/scripts/bench/stitch.js` resolve the @vrs/* aliases to the compiled libraries in dist/.
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

const distRoot = join(__dirname, '..', '..');
const { compilerOptions } = require(join(distRoot, '..', 'tsconfig.base.json')) as { compilerOptions: { paths: Record<string, string[]> } };
register({ baseUrl: distRoot, paths: compilerOptions.paths });
