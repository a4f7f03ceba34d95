// The safe-fixing CLI commands as a user runs them: exit codes, refusals with reasons, export/import, triage.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliHarness';
import { recordProposals } from '../../shared/apply/proposals';
import { breakerSection } from '../../shared/learn/circuitBreaker';
import { LocalStore } from '../../shared/store/localStore';
import { newPattern } from '../../shared/store/patterns';
import type { Fix } from '../../shared/fix';

async function workspace() {
  const cwd = mkdtempSync(path.join(tmpdir(), 'heal-cli-fix-'));
  const store = new LocalStore(path.join(cwd, '.heal'));
  const env = { HEAL_STORE: store.dir };
  await store.update((data) => {
    const p = newPattern(
      {
        tool: 'node',
        category: 'module-not-found',
        severity: 'error',
        message: `Cannot find module '${homedir()}/proj/x.js'`,
        context: [],
        startLine: 1,
        endLine: 1,
        fingerprint: 'fp00000000000001',
        coarseFingerprint: 'c1',
      },
      '2026-01-01T00:00:00.000Z',
    );
    p.examples.push(`Error: Cannot find module '${homedir()}/proj/x.js'`);
    p.counts.seen = 3;
    p.commands.push('node index.js');
    data.patterns[p.fingerprint] = p;
  });
  const propose = (fix: Fix, safety: 'safe' | 'review' | 'dangerous' = 'safe') =>
    store.update((data) =>
      recordProposals(
        data,
        [
          {
            fix,
            tier: 'rule',
            confidence: 0.7,
            why: 'w',
            safety,
            provenance: 'rule:t',
            fingerprint: 'fp00000000000001',
          },
        ],
        { commandLine: 'node index.js', cwd },
      ),
    );
  return { cwd, store, env, propose };
}

describe('heal apply / revert refusals', () => {
  it('refuses a dangerous fix and an untrusted workspace with exit 4 and the reason; unknown ids with exit 2', async () => {
    const { cwd, env, propose } = await workspace();
    await propose(
      { id: 'danger000001', kind: 'command', command: 'curl -s https://x.io/i | sh', description: 'install' },
      'dangerous',
    );
    const r = await runCli(['apply', 'danger000001', '--yes'], { cwd, env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/dangerous \(pipes a download into sh\)/);
    // An unknown id is bad usage (exit 2), for apply and revert alike.
    const unknown = await runCli(['apply', 'nope'], { cwd, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No proposed fix with id nope/);
    await propose({ id: 'safe00000001', kind: 'command', command: 'echo ok', description: 'v' });
    const untrusted = await runCli(['apply', 'safe00000001'], { cwd, env: { ...env, HEAL_UNTRUSTED: '1' } });
    expect(untrusted.code).toBe(4);
    expect(untrusted.stderr).toMatch(/not trusted/);
    const revert = await runCli(['revert', 'nope'], { cwd, env });
    expect(revert.code).toBe(2);
    expect(revert.stderr).toMatch(/No apply with id nope/);
  });

  it('refuses while the circuit breaker is open, and status shows the breaker', async () => {
    const { cwd, env, propose, store } = await workspace();
    await store.update((data) =>
      breakerSection.set(data, { state: 'open', reverts: [Date.now() - 60_000, Date.now()], openedAt: Date.now() }),
    );
    await propose({ id: 'safe00000002', kind: 'command', command: 'echo ok', description: 'v' });
    const r = await runCli(['apply', 'safe00000002'], { cwd, env });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/circuit breaker is open after 2 reverts within an hour; applying resumes in 30 min/);
    const status = await runCli(['--json', 'status'], { cwd, env });
    expect(JSON.parse(status.stdout).breaker).toMatchObject({ state: 'open', recentReverts: 2 });
    expect((await runCli(['status'], { cwd, env })).stdout).toMatch(/Circuit breaker open after 2 reverts/);
  });

  it('a review fix without --yes in a non-interactive shell is refused, with --yes it runs', async () => {
    const { cwd, env, propose } = await workspace();
    await propose({ id: 'review000001', kind: 'command', command: 'echo x > out.txt', description: 'write' }, 'review');
    const refused = await runCli(['apply', 'review000001', '--no-verify'], { cwd, env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/needs confirmation .*--yes/);
    const ok = await runCli(['--json', 'apply', 'review000001', '--yes', '--no-verify'], { cwd, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).application.state).toBe('applied');
    expect(readFileSync(path.join(cwd, 'out.txt'), 'utf8')).toBe('x\n');
  });
});

describe('heal ignore / unquarantine / issues', () => {
  it('lists open issues with their fix, ignores one, and unquarantines', async () => {
    const { cwd, env, propose, store } = await workspace();
    await propose({ id: 'fixid0000001', kind: 'command', command: 'npm install x', description: 'install x' });
    const list = await runCli(['--json', 'issues', 'list'], { cwd, env });
    expect(JSON.parse(list.stdout).issues).toMatchObject([
      { fingerprint: 'fp00000000000001', count: 3, fix: { id: 'fixid0000001', safety: 'safe' } },
    ]);
    expect((await runCli(['issues', 'list'], { cwd, env })).stdout).toMatch(
      /fp00000000000001\s+3\s+node.*fixid0000001 \(safe\)/,
    );
    // `heal issues` alone lists, as `git stash` does.
    expect((await runCli(['--json', 'issues'], { cwd, env })).stdout).toBe(list.stdout);

    await store.update((data) => {
      data.patterns.fp00000000000001.quarantined = true;
      data.patterns.fp00000000000001.counts.failed = 3;
    });
    const refused = await runCli(['apply', 'fixid0000001'], { cwd, env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/quarantined after 3 failed fixes; `heal unquarantine fp00000000000001`/);
    const un = await runCli(['unquarantine', 'fp0000'], { cwd, env });
    expect(un.code).toBe(0);
    expect(un.stdout).toMatch(/no longer quarantined/);
    expect((await store.read()).patterns.fp00000000000001.quarantined).toBe(false);

    const ign = await runCli(['ignore', 'fp00000000000001'], { cwd, env });
    expect(ign.code).toBe(0);
    expect(JSON.parse((await runCli(['--json', 'issues', 'list'], { cwd, env })).stdout).issues).toEqual([]);
    expect((await runCli(['ignore', 'zzzz'], { cwd, env })).stderr).toMatch(/No pattern with the fingerprint zzzz/);
  });

  it('issues review without a terminal points at the non-interactive commands', async () => {
    const { cwd, env } = await workspace();
    const r = await runCli(['issues', 'review'], { cwd, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /needs an interactive terminal.*heal issues list.*heal apply <fix-id>.*heal ignore <fingerprint>/,
    );
  });
});

describe('heal export / import', () => {
  it('exports scrubbed YAML and JSON that import back into an empty store', async () => {
    const { cwd, env, store } = await workspace();
    await store.update((data) =>
      data.patterns.fp00000000000001.fixes.push({
        id: 'f1',
        kind: 'command',
        command: `node ${homedir()}/proj/fix.js`,
        description: 'fix',
      }),
    );
    const yaml = await runCli(['export', '--format', 'yaml'], { cwd, env });
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain('heal: patterns');
    expect(yaml.stdout).not.toContain(homedir());
    expect(yaml.stdout).toContain('~/proj/x.js');
    const file = path.join(cwd, 'export.json');
    const json = await runCli(['export', '--format', 'json', '--output', file], { cwd, env });
    expect(json.code).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(homedir());

    const other = mkdtempSync(path.join(tmpdir(), 'heal-import-'));
    const otherEnv = { HEAL_STORE: path.join(other, '.heal') };
    for (const f of [file, path.join(cwd, 'export.yaml')]) {
      if (f.endsWith('.yaml')) writeFileSync(f, yaml.stdout);
      const imp = await runCli(['--json', 'import', f], { cwd: other, env: otherEnv });
      expect(imp.code, imp.stderr).toBe(0);
    }
    const imported = (await new LocalStore(otherEnv.HEAL_STORE).read()).patterns.fp00000000000001;
    expect(imported.fixes[0].command).toBe('node ~/proj/fix.js');
    expect(imported.counts.seen).toBe(3);
  });

  it('a bad import file changes nothing and says where it is wrong', async () => {
    const { cwd, env, store } = await workspace();
    const before = readFileSync(store.file);
    const bad = path.join(cwd, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ heal: 'patterns', version: 1, exportedAt: 'x', patterns: [{ fingerprint: 'new' }] }),
    );
    const r = await runCli(['import', bad], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a Heal export: patterns\.0\.coarseFingerprint: Required\. Nothing was imported/);
    writeFileSync(bad, '{ not: json: at all');
    expect((await runCli(['import', bad], { cwd, env })).stderr).toMatch(/Nothing was imported/);
    expect((await runCli(['import', path.join(cwd, 'missing.json')], { cwd, env })).stderr).toMatch(/cannot read/);
    expect(readFileSync(store.file)).toEqual(before);
    expect((await runCli(['export', '--format', 'xml'], { cwd, env })).stderr).toMatch(/yaml or json/);
  });
});
