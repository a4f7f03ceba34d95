// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const lspPackages = ['vscode', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-protocol', 'vscode-languageserver-textdocument', 'vscode-jsonrpc', 'vscode-jsonrpc/*'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'examples/**', 'test/e2e/.cache/**', '**/*.vsix', '.heal/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'readonly', setImmediate: 'readonly', performance: 'readonly', fetch: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  {
    // The engine stays editor-agnostic: no VS Code or LSP imports under shared/.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: lspPackages, message: 'shared/ is the engine: it must not import vscode or LSP packages.' }] }],
    },
  },
  {
    // The CLI uses only the engine.
    files: ['client/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: lspPackages, message: 'The CLI uses only the engine (shared/).' }] }],
    },
  },
  {
    // Playwright drivers: parts of them run in the page.
    files: ['test/e2e/**/*.mjs', 'bench/editor/host.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Scripts that run inside webviews.
    files: ['media/**/*.js'],
    languageOptions: { globals: { ...globals.browser, acquireVsCodeApi: 'readonly', Chart: 'readonly' } },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The language server must not import vscode.' }] }] },
  },
);
