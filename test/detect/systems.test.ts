import { describe, expect, it } from 'vitest';
import { eventsOf, expectEvents, type Expected } from './expectEvents';

describe('python', () => {
  it('one event per traceback, at the innermost frame of user code', () =>
    expectEvents('python/keyerror.txt', [
      {
        tool: 'python',
        category: 'exception',
        message: "KeyError: 'missing_key'",
        file: '/tmp/cap/py/helper.py',
        line: 2,
        data: { exception: 'KeyError' },
      },
    ]));
  it('module not found names the module', () =>
    expectEvents('python/module-not-found.txt', [
      { tool: 'python', category: 'module-not-found', file: '/tmp/cap/py/m.py', line: 1, data: { module: 'cv2' } },
    ]));
  it('indentation errors without a traceback header', () =>
    expectEvents('python/indentation.txt', [
      { tool: 'python', category: 'indentation', file: '/tmp/cap/py/ind.py', line: 2 },
    ]));
  it('skips library frames', () => {
    const text =
      'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\n    requests.get(u)\n  File "/usr/lib/python3/dist-packages/requests/api.py", line 73, in get\n    return request("get", url)\nConnectionRefusedError: [Errno 111] Connection refused\n';
    expect(eventsOf(text)).toMatchObject([{ category: 'connection-refused', file: '/app/main.py', line: 3 }]);
  });
});

describe('pytest', () => {
  const expected: Expected[] = [
    {
      tool: 'pytest',
      category: 'test-failure',
      message: 'test_add_wrong: assert 4 == 5',
      file: 'test_calc.py',
      line: 10,
      data: { test: 'test_add_wrong' },
    },
    { tool: 'pytest', category: 'test-failure', message: 'test_raises: ValueError: bad value', line: 16 },
    {
      tool: 'pytest',
      category: 'fixture-not-found',
      line: 12,
      data: { fixture: 'database', test: 'test_uses_missing_fixture' },
    },
  ];
  it('one event per failed or erroring test, quiet output', () => expectEvents('pytest/failures.txt', expected));
  it('one event per failed or erroring test, default output', () =>
    expectEvents('pytest/failures-verbose.txt', expected));
});

describe('pip', () => {
  it('no matching distribution', () =>
    expectEvents('pip/no-matching-distribution.txt', [
      { tool: 'pip', category: 'package-not-found', data: { package: 'nonexistent-pkg-heal-xyz' } },
    ]));
});

describe('rust', () => {
  it('one event per diagnostic with location and cargo add hint', () =>
    expectEvents('rust/build-errors.txt', [
      {
        tool: 'rust',
        category: 'module-not-found',
        message: 'E0432: unresolved import `serde`',
        file: 'src/main.rs',
        line: 1,
        column: 5,
        data: { module: 'serde', suggestion: 'cargo add serde' },
      },
      {
        tool: 'rust',
        category: 'name-not-found',
        file: 'src/main.rs',
        line: 5,
        column: 20,
        data: { name: 'totl', code: 'E0425' },
      },
    ]));
  it('one event per failing cargo test', () =>
    expectEvents('rust/test-failures.txt', [
      { tool: 'cargo', category: 'test-failure', file: 'src/main.rs', line: 11, data: { test: 'tests::adds' } },
      { tool: 'cargo', category: 'test-failure', file: 'src/main.rs', line: 13, data: { test: 'tests::subtracts' } },
    ]));
});

describe('go', () => {
  it('missing module', () =>
    expectEvents('go/build-missing-module.txt', [
      {
        tool: 'go',
        category: 'module-not-found',
        file: 'main.go',
        line: 5,
        column: 2,
        data: { package: 'github.com/google/uuid' },
      },
    ]));
  it('undefined names', () =>
    expectEvents('go/build-undefined.txt', [
      { category: 'unused', line: 6 },
      { category: 'name-not-found', file: 'main.go', line: 7, column: 14, data: { name: 'totl' } },
    ]));
  it('one event per failing test', () =>
    expectEvents('go/test-failures.txt', [
      {
        tool: 'go',
        category: 'test-failure',
        message: 'TestAddWrong: Add(2, 2) = 4, want 5',
        file: 'main_test.go',
        line: 13,
      },
      { tool: 'go', category: 'test-failure', file: 'main_test.go', line: 19, data: { test: 'TestAddNegative' } },
    ]));
});

describe('gcc, ld, make', () => {
  it('missing header', () =>
    expectEvents('cc/missing-header.txt', [
      { tool: 'cc', category: 'file-not-found', file: 'a.c', line: 2, column: 10, data: { header: 'missing.h' } },
    ]));
  it('syntax error', () =>
    expectEvents('cc/syntax.txt', [{ tool: 'cc', category: 'compile-error', file: 'b.c', line: 2, column: 28 }]));
  it('undefined reference, with collect2 and make summaries claimed silently', () =>
    expectEvents('cc/link-error.txt', [{ tool: 'ld', category: 'link-error', data: { symbol: 'helper' } }]));
});

describe('java', () => {
  it('javac', () =>
    expectEvents('java/javac.txt', [
      {
        tool: 'java',
        category: 'name-not-found',
        file: 'src/main/java/demo/App.java',
        line: 6,
        data: { name: 'totl' },
      },
      { tool: 'java', category: 'type-mismatch', line: 7 },
    ]));
  it('maven offline resolution failure', () =>
    expectEvents('java/maven-offline-plugin.txt', [
      { tool: 'maven', category: 'install-failed', data: { offline: 'true' } },
    ]));
});

describe('git', () => {
  it('no upstream, with the command git suggests', () =>
    expectEvents('git/no-upstream.txt', [
      {
        tool: 'git',
        category: 'git-no-upstream',
        data: { branch: 'feature', suggestion: 'git push --set-upstream origin feature' },
      },
    ]));
  it('rejected push', () =>
    expectEvents('git/non-fast-forward.txt', [
      { tool: 'git', category: 'git-non-fast-forward', data: { branch: 'main' } },
    ]));
  it('unknown subcommand with the most similar command', () =>
    expectEvents('git/unknown-subcommand.txt', [
      { tool: 'git', category: 'unknown-subcommand', data: { subcommand: 'stauts', suggestion: 'status' } },
    ]));
  it('merge conflict', () =>
    expectEvents('git/merge-conflict.txt', [
      { tool: 'git', category: 'git-merge-conflict', file: 'f', data: { path: 'f' } },
    ]));
  it('detached HEAD', () => expectEvents('git/detached-push.txt', [{ tool: 'git', category: 'git-detached-head' }]));
  it('not a repository', () => expectEvents('git/not-a-repo.txt', [{ tool: 'git', category: 'git-not-a-repo' }]));
  it('pathspec', () =>
    expectEvents('git/pathspec.txt', [{ tool: 'git', category: 'file-not-found', data: { path: 'nosuchbranch' } }]));
});

describe('docker', () => {
  it('daemon not running', () => {
    expectEvents('docker/daemon-down.txt', [{ tool: 'docker', category: 'docker-daemon-down' }]);
    expectEvents('docker/run-daemon-down.txt', [{ tool: 'docker', category: 'docker-daemon-down' }]);
  });
  it('port already allocated and missing image', () => {
    expect(
      eventsOf(
        'docker: Error response from daemon: driver failed programming external connectivity on endpoint web: Bind for 0.0.0.0:8080 failed: port is already allocated.',
      )[0],
    ).toMatchObject({ category: 'port-in-use', data: { port: '8080' } });
    expect(
      eventsOf('Error response from daemon: manifest for node:99 not found: manifest unknown: manifest unknown')[0],
    ).toMatchObject({ category: 'docker-image-not-found', data: { image: 'node:99' } });
  });
});

describe('shell', () => {
  it('command not found in bash and dash', () => {
    expectEvents('shell/command-not-found-bash.txt', [
      { tool: 'shell', category: 'command-not-found', data: { command: 'gti' } },
    ]);
    expectEvents('shell/command-not-found-sh.txt', [
      { tool: 'shell', category: 'command-not-found', data: { command: 'gti' } },
    ]);
    expect(eventsOf('zsh: command not found: gti')[0]).toMatchObject({ data: { command: 'gti' } });
    expect(eventsOf('heal: nosuchcmd: command not found')[0]).toMatchObject({
      category: 'command-not-found',
      data: { command: 'nosuchcmd' },
    });
  });
  it('permission denied', () =>
    expectEvents('shell/permission-denied.txt', [
      { tool: 'shell', category: 'permission-denied', data: { path: './noexec.sh' } },
    ]));
  it('missing file', () =>
    expectEvents('shell/no-such-file-cat.txt', [
      { tool: 'shell', category: 'file-not-found', data: { command: 'cat', path: 'nonexist.txt' } },
    ]));
});

describe('generic fallback', () => {
  it('catches plain error lines no specific detector claims, once', () => {
    expect(
      eventsOf('error: something went wrong\nfatal: unable to access remote\n').map((e) => [e.tool, e.message]),
    ).toEqual([
      ['generic', 'something went wrong'],
      ['generic', 'unable to access remote'],
    ]);
  });
});
