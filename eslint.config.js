// ESLint: the recommended rules of ESLint and typescript-eslint, plus the type-aware rules that catch
// what a code review misses (a promise nobody awaits). Formatting is Prettier's (npm run lint runs both).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Promise hooks (AsyncLocalStorage, async_hooks.createHook) run on every promise the process makes: on Node 20
// they cost the webhook pipeline a tenth of its CPU. Context goes in arguments (a child logger, a storeHash).
const promiseHooks = ['node:async_hooks', 'async_hooks'].map((name) => ({
  name,
  importNames: ['AsyncLocalStorage', 'createHook'],
  message: 'No promise hooks in the app: on Node 20 they slow every promise. Pass the context (storeHash, a child logger) instead.',
}));

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'storefront/dist/', 'coverage/', 'sandbox/storefront/theme/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.json', './storefront/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // server/bigcommerce/ is the one door to BigCommerce (dependency-cruiser checks the imports of HTTP clients).
    files: ['server/**/*.ts'],
    ignores: ['server/bigcommerce/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Only server/bigcommerce/ makes HTTP requests: add what you need to the gateway.' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['node:http', 'http', 'node:https', 'https'].map((name) => ({
              name,
              importNames: ['default', 'request', 'get', 'Agent'],
              message: 'Only server/bigcommerce/ makes HTTP requests: add what you need to the gateway.',
            })),
            ...promiseHooks,
          ],
        },
      ],
    },
  },
  {
    files: ['server/bigcommerce/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: promiseHooks }] },
  },
  {
    // Tests read loosely typed JSON answers.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // chai's expect chains are thenables (chai-as-promised), not promises to await, and its property
    // assertions (`expect(x).to.exist`) read as unused expressions.
    files: ['test/storefront/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['admin/assets/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['**/*.mjs', '*.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
);
