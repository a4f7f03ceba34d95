// pnpm and yarn (classic and berry) on real output: see test/fixtures/README.md for how each was produced.
import { describe, expect, it } from 'vitest';
import { scanText } from '../../shared/detect/scanner';
import { eventsOf, expectEvents, fixture } from './expectEvents';

describe('pnpm 9', () => {
  it('missing script', () =>
    expectEvents('pnpm/missing-script.txt', [
      {
        tool: 'pnpm',
        category: 'missing-script',
        severity: 'error',
        message: 'Missing script: biuld',
        data: { code: 'ERR_PNPM_NO_SCRIPT', script: 'biuld' },
      },
    ]));
  it('registry 404 names the package, and the explanation under it is part of the same event', () =>
    expectEvents('pnpm/fetch-404.txt', [
      {
        tool: 'pnpm',
        category: 'package-not-found',
        data: { code: 'ERR_PNPM_FETCH_404', package: 'nonexistent-pkg-heal-xyz-404' },
      },
    ]));
  it('the detail lines belong to the error block', () => {
    const [e] = eventsOf(fixture('pnpm/fetch-404.txt'));
    expect(e.context.some((l) => l.includes('is not in the npm registry'))).toBe(true);
  });
  it('no package.json names the file', () =>
    expectEvents('pnpm/no-package-json.txt', [
      {
        tool: 'pnpm',
        category: 'file-not-found',
        data: { code: 'ERR_PNPM_NO_PKG_MANIFEST', path: '/tmp/cap/pm/empty/package.json' },
      },
    ]));
  it('frozen lockfile out of date', () =>
    expectEvents('pnpm/outdated-lockfile.txt', [
      { tool: 'pnpm', category: 'install-failed', data: { code: 'ERR_PNPM_OUTDATED_LOCKFILE', lockfile: 'outdated' } },
    ]));
  it('strict peer dependencies: the unmet peer from the tree', () =>
    expectEvents('pnpm/peer-deps-strict.txt', [
      {
        tool: 'pnpm',
        category: 'install-failed',
        severity: 'error',
        message: 'Unmet peer dependencies: react@^18.3.1 (found 17.0.2)',
        data: { code: 'ERR_PNPM_PEER_DEP_ISSUES', package: 'react-dom@18.3.1', peer: 'react@^18.3.1', found: '17.0.2' },
      },
    ]));
  it('peer dependency issues without strict mode are a warning (the header is padded with thin spaces)', () =>
    expectEvents('pnpm/peer-deps-warning.txt', [
      {
        tool: 'pnpm',
        category: 'peer-dependency',
        severity: 'warning',
        data: { package: 'react-dom@18.3.1', peer: 'react@^18.3.1' },
      },
    ]));
  it('pnpm exec of a missing command', () =>
    expectEvents('pnpm/exec-command-not-found.txt', [
      {
        tool: 'pnpm',
        category: 'command-not-found',
        data: { code: 'ERR_PNPM_RECURSIVE_EXEC_FIRST_FAIL', command: 'tsc-nonexistent' },
      },
    ]));
  it("a failed script's summaries (ELIFECYCLE, RECURSIVE_RUN_FIRST_FAIL) are not extra events: the script's own tool reports", () => {
    expectEvents('pnpm/script-failed.txt', []);
    expectEvents('pnpm/recursive-run-failed.txt', []);
    const withCause = "src/a.ts(1,1): error TS2304: Cannot find name 'x'.\n" + fixture('pnpm/script-failed.txt');
    expect(eventsOf(withCause).map((e) => e.tool)).toEqual(['tsc']);
  });
});

describe('yarn classic (1.22)', () => {
  it('missing script', () =>
    expectEvents('yarn/missing-script.txt', [{ tool: 'yarn', category: 'missing-script', data: { script: 'biuld' } }]));
  it("yarn add of a package that does not exist: Couldn't find package", () =>
    expectEvents('yarn/add-404.txt', [
      {
        tool: 'yarn',
        category: 'package-not-found',
        message: 'Couldn\'t find package "nonexistent-pkg-heal-xyz-404" on the "npm" registry.',
        data: { package: 'nonexistent-pkg-heal-xyz-404', registry: 'npm' },
      },
    ]));
  it('yarn install with a dependency that does not exist', () =>
    expectEvents('yarn/install-404.txt', [
      { tool: 'yarn', category: 'package-not-found', data: { package: 'nonexistent-pkg-heal-xyz-404' } },
    ]));
  it('offline cache miss', () =>
    expectEvents('yarn/offline-cache.txt', [
      { tool: 'yarn', category: 'install-failed', data: { package: 'left-pad', offline: 'true' } },
    ]));
  it('frozen lockfile out of date', () =>
    expectEvents('yarn/frozen-lockfile.txt', [
      { tool: 'yarn', category: 'install-failed', data: { lockfile: 'outdated' } },
    ]));
  it('incorrect peer dependency is a warning', () =>
    expectEvents('yarn/peer-deps-warning.txt', [
      {
        tool: 'yarn',
        category: 'peer-dependency',
        severity: 'warning',
        data: { package: 'react-dom@18.3.1', peer: 'react@^18.3.1' },
      },
    ]));
  it('a failed script summary is not an extra event', () => expectEvents('yarn/script-failed.txt', []));
  it('other `error …` lines are yarn only when yarn ran', () => {
    const line = 'error Something yarn-specific went wrong.\n';
    expect(eventsOf(line)).toEqual([]);
    expect(scanText(line, { context: { commandLine: 'yarn install' } }).events).toMatchObject([
      { tool: 'yarn', category: 'install-failed', message: 'Something yarn-specific went wrong.' },
    ]);
  });
});

describe('yarn berry (4)', () => {
  it('missing script (coloured Usage Error)', () =>
    expectEvents('yarn/berry-missing-script.txt', [
      { tool: 'yarn', category: 'missing-script', data: { script: 'biuld' } },
    ]));
  it('yarn add of a package that does not exist: one event, not one per YN0035 line', () =>
    expectEvents('yarn/berry-add-404.txt', [
      {
        tool: 'yarn',
        category: 'package-not-found',
        data: { code: 'YN0027', package: 'nonexistent-pkg-heal-xyz-404' },
      },
    ]));
  it('yarn install with a dependency that does not exist', () =>
    expectEvents('yarn/berry-install-404.txt', [
      {
        tool: 'yarn',
        category: 'package-not-found',
        data: { code: 'YN0035', package: 'nonexistent-pkg-heal-xyz-404' },
      },
    ]));
  it('immutable install that would change the lockfile: one event, the diff is not', () =>
    expectEvents('yarn/berry-immutable.txt', [
      { tool: 'yarn', category: 'install-failed', data: { code: 'YN0028', lockfile: 'outdated' } },
    ]));
  it('peer requirement not met is a warning', () =>
    expectEvents('yarn/berry-peer-warning.txt', [
      {
        tool: 'yarn',
        category: 'peer-dependency',
        severity: 'warning',
        data: { code: 'YN0060', package: 'react-dom', peer: 'react@^18.3.1', found: '17.0.2' },
      },
    ]));
});
