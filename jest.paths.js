// Maps the tsconfig path aliases (@vrs/*) for Jest, so there is one list of them: tsconfig.base.json.
const { compilerOptions } = require('./tsconfig.base.json');
const path = require('path');

exports.pathsToModuleNameMapper = () =>
  Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, path.join(__dirname, target)]));
