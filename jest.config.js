// One Jest run over specs next to the code (apps/, libs/) and cross-service scenarios (test/).
// Everything talks to the real broker, database, S3 server and ffmpeg started by scripts/infra/up.sh.
const { pathsToModuleNameMapper } = require('./jest.paths');

const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
}];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  testTimeout: 120000,
  setupFiles: ['reflect-metadata'],
};
