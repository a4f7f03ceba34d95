// `heal metrics` and flaky failures through the real CLI: a test that fails every other run.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliHarness';

/** A "test runner" that fails on odd runs with jest's real failure output, passes on even runs. */
function flakyProject(): { dir: string; store: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'heal-flaky-'));
  writeFileSync(
    path.join(dir, 'runner.js'),
    `const fs = require('fs');
const n = Number(fs.existsSync('count') ? fs.readFileSync('count', 'utf8') : 0) + 1;
fs.writeFileSync('count', String(n));
if (n % 2) {
  console.log(' FAIL  src/cart.test.js');
  console.log('  ● cart › applies the discount');
  console.log('');
  console.log('    expect(received).toBe(expected) // Object.is equality');
  console.log('');
  console.log('    Expected: 90');
  console.log('    Received: 100');
  process.exit(1);
}
console.log(' PASS  src/cart.test.js');
`,
  );
  return { dir, store: path.join(dir, '.heal') };
}

describe('flaky failures', () => {
  it('a test that fails and passes in turn is marked flaky, gets retry/quarantine advice, and is flagged in CI output', async () => {
    const { dir, store } = flakyProject();
    for (let i = 0; i < 8; i++) await runCli(['--store', store, 'run', '--', 'node', 'runner.js'], { cwd: dir });
    const status = JSON.parse((await runCli(['--store', store, 'status', '--json'], { cwd: dir })).stdout);
    expect(status.openIssues).toHaveLength(0); // the last run passed

    const summary = path.join(dir, 'summary.md');
    const failing = await runCli(['--store', store, 'run', '--json', '--', 'node', 'runner.js'], {
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: summary, CI: 'true' },
    });
    expect(failing.code).toBe(1);
    const result = JSON.parse(failing.stdout);
    expect(result.suggestions[0].fix.kind).toBe('advice');
    expect(result.suggestions[0].fix.description).toMatch(/^Retry or quarantine .*flaky/);
    expect(result.suggestions.filter((s: { fix: { kind: string } }) => s.fix.kind !== 'advice')).toHaveLength(0);
    expect(readFileSync(summary, 'utf8')).toContain('· flaky');

    const open = JSON.parse((await runCli(['--store', store, 'status', '--json'], { cwd: dir })).stdout).openIssues;
    expect(open[0]).toMatchObject({ flaky: true });
    expect(open[0].determinism).toBeLessThan(0.5);
  }, 60_000);

  it('a failure that keeps failing is not flaky', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-steady-'));
    const store = path.join(dir, '.heal');
    for (let i = 0; i < 4; i++)
      await runCli(['--store', store, 'run', '--', 'node', '-e', "require('left-pad-missing')"], { cwd: dir });
    const open = JSON.parse((await runCli(['--store', store, 'status', '--json'], { cwd: dir })).stdout).openIssues;
    expect(open[0]).toMatchObject({ flaky: false, determinism: null });
  }, 60_000);
});

describe('heal metrics', () => {
  it('reports rates and daily series as JSON, and aligned tables on a terminal', async () => {
    const { dir, store } = flakyProject();
    for (let i = 0; i < 3; i++) await runCli(['--store', store, 'run', '--', 'node', 'runner.js'], { cwd: dir });
    await runCli(['--store', store, 'run', '--', 'sh', '-c', 'exit 3'], { cwd: dir });
    const json = JSON.parse(
      (await runCli(['--store', store, 'metrics', '--json', '--days', '7'], { cwd: dir })).stdout,
    );
    expect(json).toMatchObject({ days: 7, failedRuns: 3, recognisedRuns: 2, detectionRate: 2 / 3, patterns: 1 });
    expect(json.daily).toHaveLength(7);
    expect(json.topByOccurrences[0]).toMatchObject({ tool: 'jest', occurrences: 2, episodes: 2, resolved: 1 });
    const text = await runCli(['--store', store, 'metrics'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/detection rate\s+67 %\s+2 of 3 failed commands recognised/);
    expect(text.stdout).toContain('Top errors by occurrences');
  }, 60_000);

  it('refuses a bad --days with a usage error', async () => {
    const r = await runCli(['metrics', '--days', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--days must be a whole number');
  });
});
