// Lint: TypeScript rules, Nx module boundaries (apps never import each other; libs never import apps),
// and the layers inside each service (docs/architecture.md, "Layers"):
//   domain/          pure: no framework, no infrastructure, nothing else of the service
//   application/, commands|queries/*.handler.ts   use cases over ports: no SQL, no broker, no adapters
//   controllers, guards, interceptors, schedules   thin adapters: no TypeORM
//   infrastructure/  the adapters behind the ports (SQL, outbox, HTTP, storage, ffmpeg)
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

/** Packages that are infrastructure: only adapters (infrastructure/, the service's wiring) import them. */
const INFRASTRUCTURE_PACKAGES = [
  { name: 'typeorm', message: 'SQL belongs to infrastructure/: depend on a port (application/ports) instead.' },
  { name: '@nestjs/typeorm', message: 'SQL belongs to infrastructure/: depend on a port (application/ports) instead.' },
  { name: 'kafkajs', message: 'Kafka stays inside libs/messaging.' },
  { name: 'pg', message: 'SQL belongs to infrastructure/.' },
  { name: 'fluent-ffmpeg', message: "ffmpeg runs only through libs/media's runner." },
];
const ADAPTER_IMPORTS = {
  regex: '(^|/)infrastructure(/|$)',
  message: 'Use cases depend on ports (application/ports), not on the adapters behind them; wire adapters in app.module.ts.',
};
const OUTBOX_WITHOUT_PORT = {
  name: '@vrs/messaging',
  importNames: ['enqueueEvent', 'enqueueEvents', 'OutboxRelay', 'KafkaInbox'],
  message: 'Publish through the EventOutbox port (@vrs/service-kit EVENT_OUTBOX); the relay is woken after commit.',
};
const SERVICE_SOURCES = ['apps/{gateway,job-orchestrator,render-adapter,stitcher,notifier}/src'];
const under = (...globs) => SERVICE_SOURCES.flatMap((root) => globs.map((glob) => `${root}/${glob}`));

module.exports = [
  { ignores: ['dist/**', 'node_modules/**', '.var/**', '.nx/**', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
  {
    // Adapters that drive use cases: they translate HTTP or Kafka and call a handler.
    files: under('**/*.controller.ts', '**/*.guard.ts', 'auth/**/*.ts', 'idempotency/**/*.ts', '**/*.schedule.ts', '**/*.scheduler.ts'),
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: INFRASTRUCTURE_PACKAGES, patterns: [ADAPTER_IMPORTS] }] },
  },
  {
    // The application layer: use cases over ports.
    files: under('application/**/*.ts', 'commands/**/*.handler.ts', 'queries/**/*.handler.ts'),
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [...INFRASTRUCTURE_PACKAGES, OUTBOX_WITHOUT_PORT], patterns: [ADAPTER_IMPORTS] }] },
  },
  {
    // The domain: state and rules as plain data and functions.
    files: under('domain/**/*.ts'),
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: INFRASTRUCTURE_PACKAGES,
          patterns: [
            { regex: '^@nestjs/', message: 'The domain is free of framework code.' },
            { regex: '^(express|opossum|@aws-sdk/.*)$', message: 'The domain is free of infrastructure.' },
            {
              regex: '^@vrs/(messaging|service-kit|storage|net|media|observability)$',
              message: 'The domain imports only @vrs/contracts and @vrs/render among the libs.',
            },
            {
              regex: '(^|/)(infrastructure|application|commands|queries|http|auth|idempotency)(/|$)',
              message: 'The domain depends on nothing else of its service.',
            },
          ],
        },
      ],
    },
  },
];
