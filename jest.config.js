// Specs next to the code (apps/, libs/) and cross-service scenarios (test/), in three projects told
// apart by file name, so `npm run test:unit` can run the fast ones alone:
//   *.spec.ts              unit: no infrastructure (fake ports, pure functions, in-process HTTP servers)
//   *.integration.spec.ts  real PostgreSQL, Kafka, S3 server, ffmpeg or external tools (scripts/infra/up.sh)
//   *.e2e.ts               the five services running (scripts/services.sh)
const { pathsToModuleNameMapper } = require('./jest.paths');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.spec\\.ts$'],
      // A unit spec that reaches for the database, the broker or the S3 server fails naming the rename it needs.
      setupFiles: [...common.setupFiles, '<rootDir>/libs/testing/src/unit-scope.js'],
    },
    { ...common, displayName: 'integration', testMatch: ['**/*.integration.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e.ts'] },
  ],
};
