// End to end on a real project: tsc fails, Heal suggests an edit, a wrong fix is reverted byte-identically,
// the right fix is applied and verified by re-running tsc.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliHarness';
import { recordProposals } from '../../shared/apply/proposals';
import { LocalStore } from '../../shared/store/localStore';
import { sha256Hex } from '../../shared/apply/backup';

const repo = path.resolve(__dirname, '../..');

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.name === '.heal') continue;
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${sha256Hex(readFileSync(p))} ${(statSync(p).mode & 0o7777).toString(8)}`;
    }
  };
  walk(dir);
  return out;
}

describe('examples/ts-misspelled-name end to end', () => {
  it('detects, rejects a wrong fix byte-identically, applies and verifies the right one', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'heal-e2e-'));
    cpSync(path.join(repo, 'examples/ts-misspelled-name'), cwd, { recursive: true });
    chmodSync(path.join(cwd, 'src/main.ts'), 0o640);
    const configDir = mkdtempSync(path.join(tmpdir(), 'heal-e2e-config-'));
    const env = {
      HEAL_CONFIG_DIR: configDir,
      HEAL_STORE: path.join(cwd, '.heal'),
      PATH: `${path.join(repo, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
    };

    // 1. Detect: the real compiler fails; Heal recognises TS2552 and proposes an edit.
    const run = await runCli(['--json', 'run', '--', 'tsc', '-p', '.'], { cwd, env });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as {
      events: Array<{ fingerprint: string; code?: string }>;
      suggestions: Array<{ fix: { id: string; kind: string }; safety: string; fingerprint: string }>;
    };
    expect(report).not.toHaveProperty('autoApplied'); // auto-apply is off by default
    const fix = report.suggestions.find((s) => s.fix.kind === 'edit');
    expect(fix, run.stdout).toBeDefined();
    expect(fix!.safety).toBe('safe');
    const before = snapshot(cwd);

    // 2. A deliberately wrong fix for the same failure (it edits the wrong line) is applied, fails verification, and is reverted.
    const store = new LocalStore(env.HEAL_STORE);
    await store.update((data) =>
      recordProposals(
        data,
        [
          {
            fix: {
              id: 'wrongfix0001',
              kind: 'edit',
              description: 'a wrong fix',
              edits: [
                {
                  file: 'src/main.ts',
                  range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
                  newText: '// touched\n',
                  baseHash: sha256Hex(readFileSync(path.join(cwd, 'src/main.ts'))),
                },
              ],
            },
            tier: 'rule',
            confidence: 0.5,
            why: 'test',
            safety: 'safe',
            provenance: 'rule:test',
            fingerprint: fix!.fingerprint,
          },
        ],
        { commandLine: 'tsc -p .', cwd },
      ),
    );
    const wrong = await runCli(['--json', 'apply', 'wrongfix0001'], { cwd, env });
    expect(wrong.code, wrong.stderr).toBe(1);
    const wrongResult = JSON.parse(wrong.stdout) as {
      application: { state: string; reason: string };
      verification: { ok: boolean; stillFailing: boolean };
    };
    expect(wrongResult.application.state).toBe('reverted');
    expect(wrongResult.verification).toMatchObject({ ok: false, stillFailing: true });
    expect(snapshot(cwd)).toEqual(before);

    // 3. The suggested fix: dry run changes nothing, the real apply is verified by re-running tsc.
    const dry = await runCli(['apply', fix!.fix.id, '--dry-run'], { cwd, env });
    expect(dry.stdout).toContain("+const message: string = greeting('world');");
    expect(snapshot(cwd)).toEqual(before);
    const good = await runCli(['--json', 'apply', fix!.fix.id], { cwd, env });
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout).application.state).toBe('verified');
    expect(readFileSync(path.join(cwd, 'src/main.ts'), 'utf8')).toContain("greeting('world')");
    expect(statSync(path.join(cwd, 'src/main.ts')).mode & 0o777).toBe(0o640);
    const rerun = await runCli(['run', '--', 'tsc', '-p', '.'], { cwd, env });
    expect(rerun.code).toBe(0);

    // 4. Learning: the pattern remembers one verified and one reverted fix; the issue is closed.
    const data = await store.read();
    const pattern = data.patterns[fix!.fingerprint];
    expect(pattern.counts).toMatchObject({ fixed: 1, failed: 1 });
    expect(pattern.fixes[0].id).toBe(fix!.fix.id);
    const issues = await runCli(['--json', 'issues', 'list'], { cwd, env });
    expect(JSON.parse(issues.stdout).issues).toEqual([]);

    // 5. Auto-apply (opt-in): the same failure again is fixed by the remembered tier-1 fix during `heal run`.
    const broken = readFileSync(path.join(repo, 'examples/ts-misspelled-name/src/main.ts'));
    writeFileSync(path.join(cwd, 'src/main.ts'), broken);
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      path.join(configDir, 'config.json'),
      JSON.stringify({ autoApply: 'safe', 'autoApply.minConfidence': 0.3 }),
    );
    const auto = await runCli(['--json', 'run', '--', 'tsc', '-p', '.'], { cwd, env });
    expect(auto.code).toBe(2); // the wrapped command's own exit code is kept
    const autoReport = JSON.parse(auto.stdout) as {
      suggestions: Array<{ tier: string }>;
      autoApplied: { applied: boolean; state: string };
    };
    expect(autoReport.suggestions[0].tier).toBe('exact');
    expect(autoReport.autoApplied).toMatchObject({ applied: true, state: 'verified' });
    expect(readFileSync(path.join(cwd, 'src/main.ts'), 'utf8')).toContain("greeting('world')");
  });
});
