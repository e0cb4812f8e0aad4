// Resolves the @vrs/* aliases of tsconfig.base.json to the compiled libraries under dist/ at run time.
const Module = require('module');
const path = require('path');
const { compilerOptions } = require('../../tsconfig.base.json');

const root = path.resolve(__dirname, '../..');
const distRoot = path.join(root, 'dist');
const aliases = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(distRoot, target, 'index.js')]),
);

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};
