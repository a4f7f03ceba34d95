import { describe, expect, it } from 'vitest';
import { eventsOf, expectEvents, type Expected } from './expectEvents';

describe('tsc', () => {
  const expected: Expected[] = [
    {
      tool: 'tsc',
      category: 'module-not-found',
      message: "TS2307: Cannot find module './missing' or its corresponding type declarations.",
      file: 'index.ts',
      line: 1,
      column: 19,
      data: { code: 'TS2307', module: './missing' },
    },
    { tool: 'tsc', category: 'type-mismatch', file: 'index.ts', line: 2, column: 7 },
    {
      tool: 'tsc',
      category: 'name-not-found',
      message: "TS2304: Cannot find name 'foo'.",
      file: 'index.ts',
      line: 3,
      column: 13,
      data: { name: 'foo' },
    },
  ];
  it('reads plain output', () => expectEvents('tsc/plain.txt', expected));
  it('reads --pretty output with colours', () => expectEvents('tsc/pretty.txt', expected));
  it("keeps tsc's own suggestion", () => {
    const [e] = eventsOf("src/total.ts(8,20): error TS2552: Cannot find name 'totl'. Did you mean 'total'?");
    expect(e.data).toMatchObject({ name: 'totl', suggestion: 'total' });
  });
  it('ignores the summary line', () =>
    expect(eventsOf('Found 3 errors in the same file, starting at: index.ts:1')).toEqual([]));
});

describe('eslint', () => {
  it('gives one event per problem with rule, location and fixability', () =>
    expectEvents('eslint/stylish.txt', [
      {
        tool: 'eslint',
        category: 'lint',
        severity: 'error',
        file: '/tmp/cap/js/lint/a.js',
        line: 1,
        column: 5,
        data: { rule: 'no-unused-vars', fixableInRun: 'true' },
      },
      { tool: 'eslint', line: 1, column: 5, data: { rule: 'prefer-const' } },
      { tool: 'eslint', line: 2, column: 5, data: { rule: 'prefer-const' } },
      {
        tool: 'eslint',
        message: "Unexpected 'debugger' statement (no-debugger)",
        line: 4,
        column: 23,
        data: { rule: 'no-debugger' },
      },
    ]));
});

describe('node', () => {
  it('Cannot find module, located at the requiring file', () =>
    expectEvents('node/cannot-find-module.txt', [
      {
        tool: 'node',
        category: 'module-not-found',
        message: "Error: Cannot find module 'dayjs'",
        file: '/work/main/examples/node-missing-module/index.js',
        data: { module: 'dayjs' },
      },
    ]));
  it('ERR_MODULE_NOT_FOUND for ES modules', () =>
    expectEvents('node/err-module-not-found.txt', [
      {
        tool: 'node',
        category: 'module-not-found',
        file: '/tmp/cap/e.mjs',
        data: { code: 'ERR_MODULE_NOT_FOUND', module: 'left-pad-nope' },
      },
    ]));
  it('TypeError and ReferenceError', () => {
    expectEvents('node/type-error.txt', [
      {
        tool: 'node',
        category: 'exception',
        message: 'TypeError: o.run is not a function',
        data: { exception: 'TypeError' },
      },
    ]);
    expectEvents('node/reference-error.txt', [
      { tool: 'node', category: 'name-not-found', data: { name: 'missingVar' } },
    ]);
  });
  it('heap out of memory', () => expectEvents('node/heap-oom.txt', [{ tool: 'node', category: 'out-of-memory' }]));
  it('system errors: EADDRINUSE, ENOENT, ENOSPC watchers', () => {
    expectEvents('shell/eaddrinuse-node.txt', [{ tool: 'node', category: 'port-in-use', data: { port: '38123' } }]);
    expectEvents('shell/enoent-node.txt', [
      { tool: 'node', category: 'file-not-found', data: { path: '/nonexistent/config.json' } },
    ]);
    expectEvents('shell/enospc-watchers.txt', [{ tool: 'node', category: 'no-space', data: { kind: 'inotify' } }]);
  });
  it('a relative module is a missing file, not a missing package', () => {
    const [e] = eventsOf(
      "Error: Cannot find module './util'\nRequire stack:\n- /app/index.js\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)\n",
    );
    expect(e).toMatchObject({ category: 'file-not-found', data: { module: './util', relative: 'true' } });
  });
});

describe('npm, pnpm, yarn', () => {
  it('missing script', () =>
    expectEvents('npm/missing-script.txt', [{ tool: 'npm', category: 'missing-script', data: { script: 'biuld' } }]));
  it('registry 404 names the package', () =>
    expectEvents('npm/e404.txt', [
      { tool: 'npm', category: 'package-not-found', data: { code: 'E404', package: 'nonexistent-pkg-heal-xyz-404' } },
    ]));
  it('no package.json', () =>
    expectEvents('npm/no-package-json.txt', [
      { tool: 'npm', category: 'file-not-found', data: { path: '/tmp/cap/empty/package.json' } },
    ]));
  it('pnpm and yarn missing scripts', () => {
    expect(eventsOf(' ERR_PNPM_NO_SCRIPT  Missing script: biuld')[0]).toMatchObject({
      tool: 'pnpm',
      category: 'missing-script',
      data: { script: 'biuld' },
    });
    expect(eventsOf('error Command "biuld" not found.')[0]).toMatchObject({
      tool: 'yarn',
      category: 'missing-script',
      data: { script: 'biuld' },
    });
  });
});

describe('test runners: one event per failing test', () => {
  it('jest', () =>
    expectEvents('jest/failures.txt', [
      {
        tool: 'jest',
        category: 'test-failure',
        message: 'math › adds negative numbers: expect(received).toBe(expected) // Object.is equality',
        file: 'src/math.test.js',
        line: 4,
        column: 61,
        data: { test: 'math › adds negative numbers', suite: 'math' },
      },
      {
        tool: 'jest',
        category: 'test-failure',
        file: 'src/math.test.js',
        line: 5,
        column: 54,
        data: { test: 'math › adds strings' },
      },
    ]));
  it('jest with colours', () =>
    expectEvents('jest/failures-color.txt', [
      { data: { test: 'math › adds negative numbers' } },
      { data: { test: 'math › adds strings' } },
    ]));
  it('vitest', () =>
    expectEvents('vitest/failures.txt', [
      {
        tool: 'vitest',
        category: 'test-failure',
        message: 'sum > adds negatives: AssertionError: expected -2 to be +0 // Object.is equality',
        file: 'sum.test.ts',
        line: 5,
        column: 50,
      },
      { tool: 'vitest', file: 'sum.test.ts', line: 6, column: 52, data: { test: 'sum > adds big numbers' } },
    ]));
  it('mocha', () =>
    expectEvents('mocha/failures.txt', [
      {
        tool: 'mocha',
        category: 'test-failure',
        file: 'mt/math.spec.js',
        line: 5,
        column: 45,
        data: { test: 'math › adds negatives' },
      },
      {
        tool: 'mocha',
        message: 'math › throws nicely: TypeError: boom is not a function',
        file: 'mt/math.spec.js',
        line: 6,
      },
    ]));
  it('a passing run gives nothing', () => {
    expect(
      eventsOf(
        'PASS src/a.test.js\n  ✓ adds (2 ms)\n\nTest Suites: 1 passed, 1 total\nTests:       1 passed, 1 total\n',
      ),
    ).toEqual([]);
  });
});

describe('prose and summaries are not errors', () => {
  it.each([
    'Found 0 errors. Watching for file changes.',
    'webpack compiled successfully; no errors found, 0 warnings',
    'This release improves error handling in the parser.',
    '  ✓ reports an Error: when input is empty',
    'info: errorCount=0',
  ])('%s', (line) => expect(eventsOf(line)).toEqual([]));
});
