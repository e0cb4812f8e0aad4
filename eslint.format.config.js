// The import order every TypeScript file keeps: node built-ins, packages, @vrs/* libs, then relative
// imports, no blank lines between them, each part sorted by path; within braces values first, then
// types, each sorted. Checked by `npm run format:check` and fixed by `npm run format`, together with
// Prettier (.prettierrc); the lint rules proper are eslint.config.js.
const perfectionist = require('eslint-plugin-perfectionist');
const tseslint = require('typescript-eslint');

const sorted = { type: 'alphabetical', order: 'asc', ignoreCase: true };

module.exports = [
  { ignores: ['dist/**', 'node_modules/**', '.var/**', '.nx/**', '**/*.js'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    // Loaded (no rules on) so the code's eslint-disable comments for its rules resolve.
    plugins: { perfectionist, '@typescript-eslint': tseslint.plugin },
    rules: {
      'perfectionist/sort-imports': [
        'error',
        {
          ...sorted,
          newlinesBetween: 'never',
          internalPattern: ['^@vrs/.*'],
          groups: ['side-effect', 'builtin', 'external', 'internal', ['parent', 'sibling', 'index']],
        },
      ],
      'perfectionist/sort-named-imports': ['error', { ...sorted, groupKind: 'values-first' }],
    },
  },
];
