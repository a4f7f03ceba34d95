// Gradle reports (transcribed: see test/fixtures/gradle/README.md), javac without indentation, and shell failures
// captured for real (full disks, zsh, bad interpreters).
import { describe, expect, it } from 'vitest';
import { eventsOf, expectEvents, fixture } from './expectEvents';

describe('gradle', () => {
  it('a failure report with no compiler lines still gives one event per "What went wrong", with the message', () =>
    expectEvents('gradle/with-stacktrace.txt', [
      {
        tool: 'gradle',
        category: 'error',
        severity: 'error',
        message: "Execution failed for task ':foo'. > Fail to execute",
        file: '/tmp/cap/gradle/demo/build.gradle',
        line: 15,
        data: { task: ':foo' },
      },
    ]));
  it('the stack trace inside the report is not read as Java or node errors', () => {
    expect(eventsOf(fixture('gradle/with-stacktrace.txt')).map((e) => e.tool)).toEqual(['gradle']);
  });
  it('a dependency that cannot be found names the coordinates', () =>
    expectEvents('gradle/dependency-not-found.txt', [
      {
        tool: 'gradle',
        category: 'package-not-found',
        data: { task: ':app:compileJava', package: 'com.example:nonexistent-lib:1.0.0' },
      },
    ]));
  it("an unknown task, with Gradle's own candidate", () =>
    expectEvents('gradle/task-not-found.txt', [
      {
        tool: 'gradle',
        category: 'unknown-subcommand',
        message: "Task 'biuld' not found in root project 'demo'. Some candidates are: 'build'.",
        data: { command: 'gradle', subcommand: 'biuld', suggestion: 'build' },
      },
    ]));
  it('a build script error, located by "* Where:"', () =>
    expectEvents('gradle/evaluating-project.txt', [
      { tool: 'gradle', category: 'compile-error', file: '/tmp/cap/gradle/demo/app/build.gradle', line: 12 },
    ]));
  it('javac errors through Gradle: the javac event and the task failure', () =>
    expectEvents('gradle/compile-java.txt', [
      {
        tool: 'java',
        category: 'name-not-found',
        file: '/tmp/cap/gradle/demo/app/src/main/java/demo/App.java',
        line: 6,
        data: { name: 'totl' },
      },
      {
        tool: 'gradle',
        category: 'compile-error',
        message:
          "Execution failed for task ':app:compileJava'. > Compilation failed; see the compiler error output for details.",
        data: { task: ':app:compileJava' },
      },
    ]));
  it('one event per failing test; the "There were failing tests" summary does not count them again', () =>
    expectEvents('gradle/test-failed.txt', [
      {
        tool: 'gradle',
        category: 'test-failure',
        message: 'AppTest > addsNumbers(): AssertionFailedError',
        file: 'AppTest.java',
        line: 12,
        data: { test: 'AppTest > addsNumbers()', suite: 'AppTest', exception: 'org.opentest4j.AssertionFailedError' },
      },
    ]));
  it('the failing-tests summary is an event when the tests were not logged', () => {
    const report = fixture('gradle/test-failed.txt').replace(/^AppTest > [\s\S]*?\n\n/m, '');
    expect(eventsOf(report)).toMatchObject([
      {
        tool: 'gradle',
        category: 'test-failure',
        data: { task: ':app:test', report: 'file:///tmp/cap/gradle/demo/app/build/reports/tests/test/index.html' },
      },
    ]);
  });
  it('"Build completed with 2 failures": one event per numbered failure', () =>
    expectEvents('gradle/multiple-failures.txt', [
      {
        tool: 'gradle',
        category: 'test-failure',
        file: 'LibTest.java',
        line: 21,
        data: { test: 'LibTest > parsesConfig()' },
      },
      { tool: 'gradle', category: 'error', data: { task: ':web:npmBuild', command: 'npm', exitValue: '1' } },
    ]));
});

describe('javac', () => {
  it('a source line without indentation keeps its symbol: name-not-found, not compile-error', () =>
    expectEvents('java/javac-no-indent.txt', [
      {
        tool: 'java',
        category: 'name-not-found',
        message: 'cannot find symbol: variable totl',
        file: 'Calc.java',
        line: 3,
        data: { name: 'totl' },
      },
    ]));
});

describe('shell: full disks (ENOSPC)', () => {
  it('cp to /dev/full', () =>
    expectEvents('shell/enospc-cp.txt', [
      { tool: 'shell', category: 'no-space', data: { kind: 'disk', command: 'cp', path: '/dev/full' } },
    ]));
  it('dd, a bash builtin and tar, one event each', () =>
    expectEvents('shell/enospc-tools.txt', [
      { category: 'no-space', data: { command: 'dd', path: '/dev/full' } },
      { category: 'no-space', data: { command: 'bash' } },
      { category: 'no-space', data: { command: 'tar', path: '/dev/full' } },
    ]));
  it('a full tmpfs: head, cp, touch, mkdir and git', () =>
    expectEvents('shell/enospc-tmpfs.txt', [
      { category: 'no-space', data: { command: 'head', path: 'standard output' } },
      { category: 'no-space', data: { command: 'cp', path: './services' } },
      { category: 'no-space', data: { command: 'touch', path: 'b' } },
      { category: 'no-space', data: { command: 'mkdir', path: 'build' } },
      { category: 'no-space', message: 'fatal: cannot mkdir repo: No space left on device', data: { kind: 'disk' } },
    ]));
  it("node's ENOSPC stays with the node detector (its stack trace follows)", () =>
    expectEvents('shell/enospc-node.txt', [
      {
        tool: 'node',
        category: 'no-space',
        message: 'Error: ENOSPC: no space left on device, write',
        data: { kind: 'disk' },
      },
    ]));
});

describe('shell: zsh', () => {
  it('permission denied, interactive (with the PROMPT_SP marker a terminal shows)', () =>
    expectEvents('shell/permission-denied-zsh.txt', [
      {
        tool: 'shell',
        category: 'permission-denied',
        message: 'zsh: permission denied: ./noexec.sh',
        data: { path: './noexec.sh' },
      },
    ]));
  it('permission denied, zsh -c', () =>
    expectEvents('shell/permission-denied-zsh-c.txt', [
      { tool: 'shell', category: 'permission-denied', data: { path: './noexec.sh' } },
    ]));
  it('command not found, zsh -c', () =>
    expectEvents('shell/command-not-found-zsh-c.txt', [
      { tool: 'shell', category: 'command-not-found', data: { command: 'gti' } },
    ]));
});

describe('shell: bad interpreters', () => {
  it('zsh names the missing interpreter', () =>
    expectEvents('shell/bad-interpreter-zsh.txt', [
      {
        tool: 'shell',
        category: 'bad-interpreter',
        data: { path: './x.sh', interpreter: '/bin/nonexistent', reason: 'no such file or directory' },
      },
    ]));
  it('bash with an interpreter that is not executable', () =>
    expectEvents('shell/bad-interpreter-bash.txt', [
      {
        tool: 'shell',
        category: 'bad-interpreter',
        data: { path: './w.sh', interpreter: '/etc/passwd', reason: 'Permission denied' },
      },
    ]));
  it('bash 5.2 with a missing interpreter: cannot execute, required file not found', () =>
    expectEvents('shell/required-file-not-found-bash.txt', [
      { tool: 'shell', category: 'bad-interpreter', data: { path: './x.sh' } },
    ]));
  it("older bash's message for a missing interpreter, and a CRLF #! line", () => {
    expect(eventsOf('bash: ./x.sh: /bin/nonexistent: bad interpreter: No such file or directory')).toMatchObject([
      {
        tool: 'shell',
        category: 'bad-interpreter',
        data: { path: './x.sh', interpreter: '/bin/nonexistent', reason: 'No such file or directory' },
      },
    ]);
    expect(eventsOf('zsh:1: ./crlf.sh: bad interpreter: /bin/bash^M: no such file or directory')[0]).toMatchObject({
      data: { path: './crlf.sh', interpreter: '/bin/bash', crlf: 'true' },
    });
  });
  it('missing files name the path, also with the quotes mkdir uses', () => {
    expect(eventsOf('mkdir: cannot create directory ‘a/b/c’: No such file or directory')[0]).toMatchObject({
      category: 'file-not-found',
      data: { command: 'mkdir', path: 'a/b/c' },
    });
  });
});
