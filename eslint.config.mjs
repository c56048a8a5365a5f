// `npm run lint` (run by `npm test`): typescript-eslint's recommended rules, jest's, and the house rules:
// no focused or skipped tests, no disabled rule without a reason, unused names only when marked with _.
// Prettier formats (`npm run format`; `prettier --check` is part of `npm run lint`), so the style rules it owns are off
// (eslint-config-prettier); max-len holds what Prettier cannot break, such as long strings and comments, to 140.
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'test-artifacts/', 'bench/', '.tactful/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A disabled rule says why, after "--" on the same line.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: [] }],
      // Prettier breaks code at 140; strings and comments it cannot break are broken by hand.
      'max-len': ['error', { code: 140, ignoreUrls: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // Modules that each do one thing (docs/architecture.md): a file of the engine past 300 lines is split by what its parts do.
  {
    files: ['functions/**/*.ts', 'infra/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
  // The layers (docs/architecture.md): use cases own their ports and depend on no adapter, not even on its types;
  // the domain is plain functions over plain data and depends on nothing outside itself but functions/lib.
  {
    files: ['functions/usecases/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/adapters/**'], message: 'Use cases declare what they need as ports (usecases/ports/); adapters implement them.' },
            { group: ['**/handlers/**', '**/lambda/**', '**/local/**'], message: 'Use cases are called by handlers, never the other way.' },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/**', '**/usecases/**', '**/handlers/**', '**/lambda/**', '**/local/**', '**/shared/**'],
              message: 'The domain is plain functions over plain data: it imports nothing outside functions/domain and functions/lib.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      // Helpers assert for the test that calls them.
      'jest/expect-expect': 'off',
      // Property and fuzz tests branch on the generated case: what holds depends on what was generated.
      'jest/no-conditional-expect': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // The console's browser code (bundled by esbuild, served by the admin function).
    files: ['functions/console-browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['scripts/tactful.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
