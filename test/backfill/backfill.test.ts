import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backfill, findLogs } from '../../shared/backfill/backfill';
import { LocalStore } from '../../shared/store/localStore';
import { cliPath, runCli } from '../cliHarness';

const fixtures = path.join(__dirname, '../fixtures');
const TSC = readFileSync(path.join(fixtures, 'tsc/plain.txt'), 'utf8');

/** A repository with logs where they usually are, and some where they must be left alone. */
function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'heal-backfill-'));
  for (const d of ['logs', 'node_modules/pkg', '.git', 'reports', '.pytest_cache/v/cache', 'build/test-results/test']) mkdirSync(path.join(dir, d), { recursive: true });
  writeFileSync(path.join(dir, 'logs/build.log'), TSC);
  writeFileSync(path.join(dir, 'node_modules/pkg/install.log'), TSC);
  writeFileSync(path.join(dir, '.git/hook.log'), TSC);
  copyFileSync(path.join(fixtures, 'junit/vitest-junit.xml'), path.join(dir, 'reports/junit.xml'));
  copyFileSync(path.join(fixtures, 'junit/pytest-junit.xml'), path.join(dir, 'build/test-results/test/TEST-users.xml'));
  writeFileSync(path.join(dir, '.pytest_cache/v/cache/lastfailed'), JSON.stringify({ 'tests/test_cart.py::test_total': true }));
  writeFileSync(path.join(dir, 'notes.txt'), TSC);
  return dir;
}

const seen = (store: LocalStore) => store.read().then((d) => Object.values(d.patterns).reduce((n, p) => n + p.counts.seen, 0));

describe('heal backfill', () => {
  it('finds logs, JUnit reports and pytest last failures, but not dependency folders or other files', async () => {
    const dir = repo();
    const files = (await findLogs([dir])).map((f) => path.relative(dir, f.file)).sort();
    expect(files).toEqual(['.pytest_cache/v/cache/lastfailed', 'build/test-results/test/TEST-users.xml', 'logs/build.log', 'reports/junit.xml']);
  });

  it('running twice counts once; a log that grew is read from where the last run stopped', async () => {
    const dir = repo();
    const store = new LocalStore(path.join(dir, '.heal'));
    const first = await backfill(store, await findLogs([dir]));
    expect(first.events).toBeGreaterThan(4);
    const count = await seen(store);
    const again = await backfill(store, await findLogs([dir]));
    expect(again.events).toBe(0);
    expect(again.files.every((f) => f.outcome === 'unchanged')).toBe(true);
    expect(await seen(store)).toBe(count);
    appendFileSync(path.join(dir, 'logs/build.log'), TSC);
    const grown = await backfill(store, await findLogs([dir]));
    expect(grown.files.find((f) => f.file.endsWith('build.log'))).toMatchObject({ outcome: 'resumed', bytes: TSC.length });
    expect(await seen(store)).toBe(count + grown.events);
    expect(grown.events).toBe(first.files.find((f) => f.file.endsWith('build.log'))!.events);
  });

  it('a run killed midway resumes with exact counts', async () => {
    const dir = repo();
    // Enough logs that the kill lands in the middle.
    for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, `logs/run-${i}.log`), TSC.repeat(100));
    const storeDir = path.join(dir, '.heal');
    const cli = await cliPath();
    const child = spawn(process.execPath, [cli, '--store', storeDir, 'backfill', dir, '--no-npm-logs'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 900));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const store = new LocalStore(storeDir);
    const partial = await seen(store);
    const rest = await runCli(['--store', storeDir, 'backfill', dir, '--no-npm-logs', '--json']);
    expect(rest.code).toBe(0);
    const total = await seen(store);
    // The same logs into a fresh store in one go: the same counts.
    const fresh = new LocalStore(path.join(dir, '.heal-fresh'));
    await backfill(fresh, await findLogs([dir]));
    expect(total).toBe(await seen(fresh));
    expect(partial).toBeLessThanOrEqual(total);
  }, 120_000);

  it('--dry-run lists the plan and changes nothing; bad input is refused clearly', async () => {
    const dir = repo();
    const storeDir = path.join(dir, '.heal');
    const dry = await runCli(['--store', storeDir, 'backfill', dir, '--dry-run', '--no-npm-logs', '--json']);
    expect(JSON.parse(dry.stdout).files).toHaveLength(4);
    expect(await seen(new LocalStore(storeDir))).toBe(0);
    const badDate = await runCli(['--store', storeDir, 'backfill', dir, '--since', 'yesterdayish']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--since wants a date');
    const missing = await runCli(['--store', storeDir, 'backfill', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
  });
});
