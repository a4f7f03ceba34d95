import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliHarness';

const tscLine = "src/a.ts(3,13): error TS2304: Cannot find name 'foo'.\n";
const tmp = () => mkdtempSync(path.join(tmpdir(), 'heal-cli-test-'));

describe('heal scan', () => {
  it('prints one JSON document with an events array in the documented shape, exit 1 when errors were found', async () => {
    const store = tmp();
    const r = await runCli(['scan', '-', '--json', '--store', store], { input: tscLine });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.events).toHaveLength(1);
    expect(Object.keys(doc.events[0])).toEqual(
      expect.arrayContaining([
        'tool',
        'category',
        'severity',
        'message',
        'file',
        'line',
        'column',
        'fingerprint',
        'coarseFingerprint',
      ]),
    );
    expect(doc.events[0]).toMatchObject({ tool: 'tsc', file: 'src/a.ts', line: 3, column: 13, severity: 'error' });
  });

  it('reports null for unknown locations and exits 0 when nothing failed', async () => {
    const r = await runCli(['scan', '--json', '--store', tmp()], { input: 'all good\n' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ events: [] });
  });

  it('scans files, records them, and status groups them by fingerprint', async () => {
    const dir = tmp();
    const log = path.join(dir, 'build.log');
    writeFileSync(log, tscLine + tscLine);
    const store = path.join(dir, 'store');
    expect((await runCli(['scan', log, '--store', store])).code).toBe(1);
    const status = JSON.parse((await runCli(['status', '--json', '--store', store])).stdout);
    expect(status.openIssues).toHaveLength(1);
    expect(status.openIssues[0]).toMatchObject({ tool: 'tsc', count: 2 });
  });

  it('gives a clear error for a missing file and for a directory', async () => {
    const missing = await runCli(['scan', '/nonexistent/x.log', '--store', tmp()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read /nonexistent/x.log');
    const dir = await runCli(['scan', tmp(), '--store', tmp()]);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('is a directory');
  });

  it('refuses a corrupt store with exit 3, naming the file', async () => {
    const store = tmp();
    writeFileSync(path.join(store, 'store.json'), '{not json');
    const r = await runCli(['scan', '--store', store], { input: tscLine });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(path.join(store, 'store.json'));
  });
});

describe('heal run', () => {
  it("passes output through unchanged and exits with the command's own code", async () => {
    const r = await runCli([
      'run',
      '--store',
      tmp(),
      '--',
      'sh',
      '-c',
      `printf '%s' "${tscLine.trim()}"; echo; echo out-line; exit 7`,
    ]);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe(`${tscLine}out-line\n`);
    expect(r.stderr).toContain('TS2304');
  });

  it('exits 127 for a command that does not exist and recognises it', async () => {
    const r = await runCli(['run', '--store', tmp(), '--json', '--', 'definitely-not-a-command-xyz']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('command not found');
  });

  it('forwards SIGINT to the command', async () => {
    const script = "trap 'echo got-int; exit 130' INT; echo ready; while true; do sleep 0.05; done";
    const { spawn } = await import('node:child_process');
    const { cliPath } = await import('../cliHarness');
    const child = spawn(process.execPath, [await cliPath(), 'run', '--store', tmp(), '--', 'sh', '-c', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d) => ((out += d), out.includes('ready') && resolve())),
    );
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(out).toContain('got-int');
    expect(code).toBe(130);
  });

  it('--no-heal runs the command untouched and records nothing', async () => {
    const store = tmp();
    const r = await runCli([
      'run',
      '--no-heal',
      '--store',
      store,
      '--',
      'sh',
      '-c',
      `echo "${tscLine.trim()}"; exit 2`,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const status = JSON.parse((await runCli(['status', '--json', '--store', store])).stdout);
    expect(status.openIssues).toHaveLength(0);
  });
});

describe('heal fingerprint', () => {
  it('prints fine and coarse fingerprints per line', async () => {
    const r = await runCli(['fingerprint', '--json'], { input: "Cannot find module 'a'\nCannot find module 'b'\n" });
    const [a, b] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.coarseFingerprint).toBe(b.coarseFingerprint);
  });
});

describe('usage', () => {
  it('exits 2 with a hint on an unknown option', async () => {
    const r = await runCli(['scan', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option');
  });
});
