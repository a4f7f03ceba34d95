// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The editor and LSP packages: vscode, vscode-languageclient, vscode-languageserver and every vscode-languageserver-*
// package (-protocol, -types, -textdocument), vscode-jsonrpc, and their subpaths.
const lspSource = '^(?:vscode|vscode-languageclient|vscode-languageserver(?:-[a-z]+)*|vscode-jsonrpc)(?:$|[\\x2F])';
const lspPattern = (message) => ({ regex: lspSource, message });
// The forms no-restricted-imports does not see: `import('vscode')` (also as a template literal), `require('vscode')`,
// `import x = require('vscode')` and the type `import('vscode').Uri`. (esquery regexes cannot contain a slash.)
const lspSyntax = (message, source = lspSource) =>
  [
    `ImportExpression[source.value=/${source}/]`,
    `ImportExpression[source.type='TemplateLiteral'][source.quasis.0.value.cooked=/${source}/]`,
    `CallExpression[callee.type='Identifier'][callee.name='require'][arguments.0.value=/${source}/]`,
    `TSImportEqualsDeclaration[moduleReference.expression.value=/${source}/]`,
    `TSImportType[argument.literal.value=/${source}/]`,
  ].map((selector) => ({ selector, message }));
const ENGINE = 'shared/ is the engine: it must not import vscode or LSP packages.';
const CLI = 'The CLI uses only the engine (shared/).';
const SERVER = 'The language server must not import vscode.';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'examples/*/',
      'test/e2e/.cache/**',
      '**/*.vsix',
      '.heal/**',
      // AssemblyScript, whose decorators on functions TypeScript's parser rejects: asc and `tsc -p` check it.
      'shared/detect/kernels/**/*.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      'no-control-regex': 'off',
      '@typescript-eslint/no-namespace': 'off',
    },
  },
  {
    // The engine stays editor-agnostic: no VS Code or LSP imports under shared/.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [lspPattern(ENGINE)] }],
      'no-restricted-syntax': ['error', ...lspSyntax(ENGINE)],
    },
  },
  {
    // The CLI uses only the engine.
    files: ['client/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [lspPattern(CLI)] }],
      'no-restricted-syntax': ['error', ...lspSyntax(CLI)],
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
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: SERVER }] }],
      'no-restricted-syntax': ['error', ...lspSyntax(SERVER, '^vscode$')],
    },
  },
);
