// The import order every TypeScript file keeps: node built-ins, packages, @vrs/* libs, then relative
// imports, each part sorted, no blank lines between them. Checked by `npm run format:check` and
// fixed by `npm run format`, together with Prettier (.prettierrc); the lint rules are eslint.config.js.
const simpleImportSort = require('eslint-plugin-simple-import-sort');
const tseslint = require('typescript-eslint');

module.exports = [
  { ignores: ['dist/**', 'node_modules/**', '.var/**', '.nx/**', '**/*.js'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: { 'simple-import-sort/imports': ['error', { groups: [['^\\u0000', '^node:', '^@?\\w', '^@vrs/', '^\\.']] }] },
  },
];
