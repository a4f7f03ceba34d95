import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backfill, backfillCheckpoints, findLogs } from '../../shared/backfill/backfill';
import { LocalStore } from '../../shared/store/localStore';
import { cliPath, runCli } from '../cliHarness';

const fixtures = path.join(__dirname, '../fixtures');
const TSC = readFileSync(path.join(fixtures, 'tsc/plain.txt'), 'utf8');

/** A repository with logs where they usually are, and some where they must be left alone. */
function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'heal-backfill-'));
  for (const d of ['logs', 'node_modules/pkg', '.git', 'reports', '.pytest_cache/v/cache', 'build/test-results/test'])
    mkdirSync(path.join(dir, d), { recursive: true });
  writeFileSync(path.join(dir, 'logs/build.log'), TSC);
  writeFileSync(path.join(dir, 'node_modules/pkg/install.log'), TSC);
  writeFileSync(path.join(dir, '.git/hook.log'), TSC);
  copyFileSync(path.join(fixtures, 'junit/vitest-junit.xml'), path.join(dir, 'reports/junit.xml'));
  copyFileSync(path.join(fixtures, 'junit/pytest-junit.xml'), path.join(dir, 'build/test-results/test/TEST-users.xml'));
  writeFileSync(
    path.join(dir, '.pytest_cache/v/cache/lastfailed'),
    JSON.stringify({ 'tests/test_cart.py::test_total': true }),
  );
  writeFileSync(path.join(dir, 'notes.txt'), TSC);
  return dir;
}

const seen = (store: LocalStore) =>
  store.read().then((d) => Object.values(d.patterns).reduce((n, p) => n + p.counts.seen, 0));

describe('heal backfill', () => {
  it('finds logs, JUnit reports and pytest last failures, but not dependency folders or other files', async () => {
    const dir = repo();
    const files = (await findLogs([dir])).map((f) => path.relative(dir, f.file)).sort();
    expect(files).toEqual([
      '.pytest_cache/v/cache/lastfailed',
      'build/test-results/test/TEST-users.xml',
      'logs/build.log',
      'reports/junit.xml',
    ]);
  });

  it('finds CI log folders: GitHub Actions log archives (each job once), Jenkins build logs, ci-logs, JUnit under reports/', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-backfill-ci-'));
    const put = (file: string, text = TSC) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    // An unpacked GitHub Actions log archive: each job whole, and again by step.
    put('logs_14436238390/1_build.txt');
    put('logs_14436238390/build/1_Set up job.txt', 'Current runner version: 2.323.0\n');
    put('logs_14436238390/build/3_Run npx tsc --noEmit.txt');
    put('logs_14436238390/build/system.txt', 'Requested labels: ubuntu-latest\n');
    put('logs_14436238390/2_test (node 20).txt');
    put('logs_14436238390/test (node 20)/4_Run npm test.txt');
    // An older archive without the whole job logs: the steps are all there is.
    put('logs_9000/lint/2_Run eslint.txt');
    // The same archive unpacked into logs/ (as `gh` does).
    put('logs/3_deploy.txt');
    put('logs/deploy/2_Run deploy.txt');
    // Jenkins: console output of a build, next to its metadata.
    put('jenkins/jobs/app/builds/42/log');
    put('jenkins/jobs/app/builds/42/build.xml', '<build/>');
    put('jenkins/jobs/team/jobs/api/builds/7/log');
    // Folders CI steps save logs to.
    put('ci-logs/e2e.txt');
    put('ci-logs/nightly/server.out');
    put('.ci/logs/deploy.txt');
    // JUnit XML under reports/, whatever its name; other XML there is not a log.
    copyFileSync(
      path.join(fixtures, 'junit/vitest-junit.xml'),
      (put('reports/rspec.xml', ''), path.join(dir, 'reports/rspec.xml')),
    );
    put('reports/coverage/cobertura-coverage.xml', '<?xml version="1.0" ?>\n<coverage line-rate="0.5"></coverage>\n');
    // Not logs, or not the project's.
    put('docs/notes.txt');
    put('src/logs.txt');
    put('node_modules/pkg/ci-logs/install.txt');
    put(
      'node_modules/pkg/reports/junit-report.xml',
      readFileSync(path.join(fixtures, 'junit/vitest-junit.xml'), 'utf8'),
    );
    put('vendor/lib/logs_1/1_build.txt');
    put('.venv/lib/logs/pip.txt');
    const files = (await findLogs([dir])).map((f) => path.relative(dir, f.file)).sort();
    expect(files).toEqual([
      '.ci/logs/deploy.txt',
      'ci-logs/e2e.txt',
      'ci-logs/nightly/server.out',
      'jenkins/jobs/app/builds/42/log',
      'jenkins/jobs/team/jobs/api/builds/7/log',
      'logs/3_deploy.txt',
      'logs_14436238390/1_build.txt',
      'logs_14436238390/2_test (node 20).txt',
      'logs_9000/lint/2_Run eslint.txt',
      'reports/rspec.xml',
    ]);
    // A CI log folder named on the command line is searched as one; a job's failures count once, not once for the
    // job and again for its steps.
    const archive = await findLogs([path.join(dir, 'logs_14436238390')]);
    expect(archive.map((f) => path.basename(f.file)).sort()).toEqual(['1_build.txt', '2_test (node 20).txt']);
    expect((await findLogs([path.join(dir, 'ci-logs')])).map((f) => path.basename(f.file)).sort()).toEqual([
      'e2e.txt',
      'server.out',
    ]);
    const job = await backfill(
      new LocalStore(path.join(dir, '.heal-job')),
      await findLogs([path.join(dir, 'logs_14436238390/1_build.txt')]),
    );
    expect(job.events).toBeGreaterThan(0);
    expect((await backfill(new LocalStore(path.join(dir, '.heal')), archive)).events).toBe(2 * job.events);
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
    expect(grown.files.find((f) => f.file.endsWith('build.log'))).toMatchObject({
      outcome: 'resumed',
      bytes: TSC.length,
    });
    expect(await seen(store)).toBe(count + grown.events);
    expect(grown.events).toBe(first.files.find((f) => f.file.endsWith('build.log'))!.events);
  });

  it('a run killed midway resumes with exact counts', async () => {
    const dir = repo();
    // Many files, each recorded with its checkpoint in its own store write: the kill lands after the first and
    // long before the last.
    for (let i = 0; i < 400; i++) writeFileSync(path.join(dir, `logs/run-${i}.log`), TSC.repeat(20));
    const all = (await findLogs([dir])).length;
    const storeDir = path.join(dir, '.heal');
    const store = new LocalStore(storeDir);
    const checkpoints = async () => Object.keys(backfillCheckpoints.get(await store.read())).length;
    const cli = await cliPath();
    const child = spawn(process.execPath, [cli, '--store', storeDir, 'backfill', dir, '--no-npm-logs'], {
      stdio: 'ignore',
    });
    let exited = false;
    const closed = new Promise((r) => child.on('close', r));
    child.on('exit', () => (exited = true));
    while (!exited && (await checkpoints().catch(() => 0)) === 0) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    await closed;
    const done = await checkpoints();
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(all);
    const partial = await seen(store);
    expect(partial).toBeGreaterThan(0);
    const rest = await runCli(['--store', storeDir, 'backfill', dir, '--no-npm-logs', '--json']);
    expect(rest.code).toBe(0);
    const resumed = JSON.parse(rest.stdout) as { events: number; files: Array<{ outcome: string }> };
    // What the killed run recorded is skipped; the rest is read once.
    expect(resumed.files.filter((f) => f.outcome === 'unchanged')).toHaveLength(done);
    expect(resumed.files.filter((f) => f.outcome === 'scanned')).toHaveLength(all - done);
    const total = await seen(store);
    expect(partial).toBeLessThan(total);
    expect(total).toBe(partial + resumed.events);
    expect(await checkpoints()).toBe(all);
    // The same logs into a fresh store in one go: the same counts.
    const fresh = new LocalStore(path.join(dir, '.heal-fresh'));
    await backfill(fresh, await findLogs([dir]));
    expect(total).toBe(await seen(fresh));
  }, 120_000);

  it('a scan thread that cannot start fails the backfill with its error, nothing unhandled, nothing recorded', async () => {
    const dir = repo();
    for (let i = 0; i < 4; i++) writeFileSync(path.join(dir, `logs/run-${i}.log`), TSC);
    const store = new LocalStore(path.join(dir, '.heal'));
    await expect(
      backfill(store, await findLogs([dir]), { workers: 2, workerFile: path.join(dir, 'no-such-worker.js') }),
    ).rejects.toThrow(/no-such-worker\.js/);
    expect(await seen(store)).toBe(0);
  });

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
