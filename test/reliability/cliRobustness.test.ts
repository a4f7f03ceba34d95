// The CLI in pipelines: a reader that goes away (`heal status | head -3`) ends Heal quietly, and `heal suggest`
// with nothing to go on is bad usage.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../cliHarness';
import { BROKEN_PIPE_EXIT } from '../../client/cli/output';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'heal-cli-robust-'));

/**
 * Runs the CLI with stdout read until `keep` bytes arrived (0: not at all), then closed, like `| head`.
 * Resolves with the exit code and everything written to stderr.
 */
async function withClosedStdout(
  args: string[],
  input: string,
  keep: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; got: number }> {
  const cli = await cliPath();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, NO_COLOR: '1', CI: 'false', GITHUB_STEP_SUMMARY: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let got = 0;
    child.stderr.on('data', (d) => (stderr += d));
    if (keep === 0) child.stdout.destroy();
    else
      child.stdout.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= keep) child.stdout.destroy();
      });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, got }));
    // The writer may be gone by then too: its EPIPE is not this test's concern.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

describe('a closed stdout (heal … | head)', () => {
  it('heal status | head: no unhandled EPIPE stack trace, exit 141 like a Unix tool stopped by SIGPIPE', async () => {
    const r = await withClosedStdout(['status', '--store', tmp()], '', 0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|node:events/);
    expect(r.code).toBe(BROKEN_PIPE_EXIT);
  });

  it('a long stream of output stops quietly after the reader has taken what it wanted', async () => {
    const input = Array.from({ length: 100_000 }, (_, i) => `error: thing ${i}`).join('\n') + '\n';
    const r = await withClosedStdout(['fingerprint'], input, 100);
    expect(r.got).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|node:events/);
    expect(r.code).toBe(BROKEN_PIPE_EXIT);
  }, 60_000);

  it('an open stdout is unaffected', async () => {
    const r = await runCli(['fingerprint'], { input: 'error: one\nerror: two\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('heal suggest', () => {
  it('with no input at all is bad usage (exit 2), with a hint', async () => {
    const r = await runCli(['suggest', '--store', tmp()], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to go on');
  });

  it('only whitespace on stdin is no input either', async () => {
    const r = await runCli(['suggest', '--store', tmp()], { input: '\n  \n' });
    expect(r.code).toBe(2);
  });

  it('a command alone is something to go on (not a usage error)', async () => {
    const r = await runCli(
      ['suggest', '--store', tmp(), '--command', 'gti status', '--output', 'bash: gti: command not found'],
      { input: '' },
    );
    expect(r.code).not.toBe(2);
    const alone = await runCli(['suggest', '--store', tmp(), '--command', 'gti status'], { input: '' });
    expect(alone.code).not.toBe(2);
  });
});
