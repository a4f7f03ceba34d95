// Safe fixing, the gaps an audit found: imported knowledge is not auto-applied on its word, command fixes back up
// what they name, revert keeps the user's later edits, symlinks stay links, verification needs a real run,
// --allow-dangerous, consistent exit codes and a reverted fix re-opening its issue.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliHarness';
import { applyFix, ApplyRefused } from '../../shared/apply/apply';
import { applications } from '../../shared/apply/applications';
import { createBackup, readBackup, restoreBackup, sha256Hex } from '../../shared/apply/backup';
import { proposals, recordProposals, withBaseHashes } from '../../shared/apply/proposals';
import { revertApplication, RevertError } from '../../shared/apply/revert';
import { verifyByRerun } from '../../shared/apply/verify';
import {
  exportPatterns,
  importPatterns,
  isUnverifiedImport,
  parseExchange,
  type Exchange,
} from '../../shared/learn/exchange';
import type { Fix, TextEdit } from '../../shared/fix';
import type { Suggestion } from '../../shared/lookup/suggestion';
import { LocalStore } from '../../shared/store/localStore';
import { newPattern, openPatterns } from '../../shared/store/patterns';
import { emptyStore } from '../../shared/store/schema';
import { checkAutoApply } from '../../shared/validate/autoApplyCheck';
import { autoApplyDecision } from '../../shared/validate/policy';

const at = (line: number, character: number) => ({ line, character });
const edit = (file: string, sl: number, sc: number, el: number, ec: number, newText: string): TextEdit => ({
  file,
  range: { start: at(sl, sc), end: at(el, ec) },
  newText,
});

/** A tiny project whose "test" (node check.js) passes when greeting.txt says hello. */
function greetingProject() {
  const root = mkdtempSync(path.join(tmpdir(), 'heal-safe-'));
  writeFileSync(path.join(root, 'greeting.txt'), 'helo\n');
  writeFileSync(path.join(root, 'good.txt'), 'hello\n');
  writeFileSync(
    path.join(root, 'check.js'),
    "const t = require('fs').readFileSync(__dirname + '/greeting.txt', 'utf8'); if (t !== 'hello\\n') { console.error('Error: greeting is wrong'); process.exit(1); }\n",
  );
  return { root, store: new LocalStore(path.join(root, '.heal')), commandLine: 'node check.js' };
}

async function propose(
  store: LocalStore,
  root: string,
  fix: Fix,
  commandLine?: string,
  fingerprint?: string,
  safety: Suggestion['safety'] = 'safe',
) {
  const s = withBaseHashes(
    { fix, tier: 'rule', confidence: 0.8, why: 'test', safety, provenance: 'rule:test', fingerprint },
    root,
  );
  await store.update((data) => recordProposals(data, [s], { commandLine, cwd: root }));
  return s.fix.id;
}

async function refusal(p: Promise<unknown>): Promise<ApplyRefused> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ApplyRefused);
  return e as ApplyRefused;
}

const patternFor = (fingerprint: string) =>
  newPattern(
    {
      tool: 'node',
      category: 'x',
      severity: 'error',
      message: 'greeting is wrong',
      context: [],
      startLine: 1,
      endLine: 1,
      fingerprint,
      coarseFingerprint: 'c',
    },
    '2026-01-01T00:00:00.000Z',
  );

/** An export claiming a perfect track record for `fix`. */
function boastfulExport(fingerprint: string, fix: Fix, coarseFingerprint = 'c'): Exchange {
  const data = emptyStore();
  const p = patternFor(fingerprint);
  Object.assign(p, {
    coarseFingerprint,
    counts: { seen: 60, fixed: 60, failed: 0 },
    confidence: 0.99,
    lastOutcome: 'verified',
    fixes: [fix],
  });
  data.patterns[fingerprint] = p;
  return parseExchange(JSON.parse(JSON.stringify(exportPatterns(data, (t) => t))), 'export.json');
}

describe('imported knowledge is not trusted on its word', () => {
  it('an imported fix is not auto-applied until it was verified here; its claimed stats are kept aside', async () => {
    const { root, store, commandLine } = greetingProject();
    const fix: Fix = {
      id: 'imported0001',
      kind: 'command',
      command: 'cp good.txt greeting.txt',
      description: 'copy the good greeting',
    };
    await store.update((data) => importPatterns(data, boastfulExport('fp1', fix)));
    let data = await store.read();
    expect(data.patterns.fp1).toMatchObject({ counts: { seen: 60, fixed: 0, failed: 0 }, confidence: 0 });
    expect(data.patterns.fp1.lastOutcome).toBeUndefined();
    expect(isUnverifiedImport(data, fix.id)).toBe(true);

    // Even as a tier-1, confident, safe suggestion, the policy refuses it, and so does applyFix when called as auto.
    const suggestion: Suggestion = {
      fix,
      tier: 'exact',
      confidence: 0.99,
      why: 'w',
      safety: 'safe',
      provenance: 'pattern:fp1@local',
      fingerprint: 'fp1',
    };
    const check = checkAutoApply(data, [suggestion], { autoApply: 'safe' }, { trusted: true, cwd: root });
    expect(check?.allowed).toBe(false);
    expect(check?.reasons).toEqual([
      expect.stringMatching(/imported \(heal import\) and has not been verified in this workspace/),
    ]);
    const id = await propose(store, root, fix, commandLine, 'fp1');
    expect((await refusal(applyFix({ store, fixId: id, trusted: true, auto: true }))).code).toBe('unverified-import');
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');

    // Applied once by hand and verified: from now on it is local knowledge.
    const r = await applyFix({ store, fixId: id, trusted: true });
    expect(r.application.state).toBe('verified');
    data = await store.read();
    expect(isUnverifiedImport(data, fix.id)).toBe(false);
    expect(checkAutoApply(data, [suggestion], { autoApply: 'safe' }, { trusted: true, cwd: root })?.allowed).toBe(true);
  });

  it('fixes merged into a known pattern are marked too, the local ones are not', () => {
    const data = emptyStore();
    const local = patternFor('fp1');
    local.fixes.push({ id: 'local0000001', kind: 'command', command: 'npm ci', description: 'reinstall' });
    Object.assign(local, { counts: { seen: 9, fixed: 5, failed: 0 }, confidence: 0.6 });
    data.patterns.fp1 = local;
    importPatterns(
      data,
      boastfulExport('fp1', { id: 'imported0002', kind: 'command', command: 'touch x', description: 'x' }),
    );
    expect(data.patterns.fp1.fixes.map((f) => f.id)).toEqual(['local0000001', 'imported0002']);
    expect(data.patterns.fp1.counts.fixed).toBe(5);
    expect(isUnverifiedImport(data, 'imported0002')).toBe(true);
    expect(isUnverifiedImport(data, 'local0000001')).toBe(false);
  });

  it('the policy names the reason', () => {
    const closed = { state: 'closed' as const, recentReverts: 0 };
    expect(
      autoApplyDecision(
        { tier: 'exact', confidence: 0.99, safety: 'safe', imported: true },
        { autoApply: 'safe' },
        { trusted: true, breaker: closed },
      ),
    ).toEqual({ allowed: false, reasons: [expect.stringMatching(/imported/)] });
  });

  it('heal run with autoApply safe does not auto-apply an imported "60/60, 0.99" destructive fix, and says why', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'heal-import-auto-'));
    const configDir = mkdtempSync(path.join(tmpdir(), 'heal-config-'));
    writeFileSync(path.join(cwd, 'config.json'), '{\n  "name": "shop",\n  "port": "8080"\n}\n');
    writeFileSync(
      path.join(cwd, 'check.js'),
      `const c = JSON.parse(require('fs').readFileSync('config.json', 'utf8'));\nif (typeof c.port !== 'number') { console.log("config.ts(3,3): error TS2322: Type 'string' is not assignable to type 'number'."); process.exit(2); }\n`,
    );
    const before = readFileSync(path.join(cwd, 'config.json'));
    // The failure's fingerprint, learned in a throwaway store.
    const probe = await runCli(['--json', 'run', '--', 'node', 'check.js'], {
      cwd,
      env: { HEAL_STORE: path.join(cwd, '.probe'), HEAL_CONFIG_DIR: configDir },
    });
    const event = (JSON.parse(probe.stdout) as { events: Array<{ fingerprint: string; coarseFingerprint: string }> })
      .events[0];
    rmSync(path.join(cwd, '.probe'), { recursive: true });
    // `cp /dev/null config.json` stays inside the workspace (classified safe) and wipes the file.
    const destructive: Fix = {
      id: 'wipe00000001',
      kind: 'command',
      command: 'cp /dev/null config.json',
      description: 'reset the config',
    };
    const file = path.join(configDir, 'export.json');
    writeFileSync(file, JSON.stringify(boastfulExport(event.fingerprint, destructive, event.coarseFingerprint)));
    const env = { HEAL_STORE: path.join(cwd, '.heal'), HEAL_CONFIG_DIR: configDir };
    const imported = await runCli(['import', file], { cwd, env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/never applied automatically until one was verified here/);
    writeFileSync(
      path.join(configDir, 'config.json'),
      JSON.stringify({ autoApply: 'safe', 'autoApply.minConfidence': 0.3 }),
    );

    const run = await runCli(['--json', 'run', '--', 'node', 'check.js'], { cwd, env });
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as {
      suggestions: Array<{ tier: string; fix: { id: string } }>;
      autoApplied: { applied: boolean; reasons: string[] };
    };
    expect(report.suggestions[0]).toMatchObject({ tier: 'exact', fix: { id: destructive.id } });
    expect(report.autoApplied.applied).toBe(false);
    expect(report.autoApplied.reasons.join('; ')).toMatch(/imported \(heal import\) and has not been verified/);
    const plain = await runCli(['run', '--', 'node', 'check.js'], { cwd, env });
    expect(plain.stdout + plain.stderr).toMatch(
      /fix wipe00000001 not applied automatically: .*imported \(heal import\)/,
    );
    expect(readFileSync(path.join(cwd, 'config.json'))).toEqual(before);
    expect(Object.keys(applications.get(await new LocalStore(env.HEAL_STORE).read()))).toHaveLength(0);
  });
});

describe('command fixes back up the files they name', () => {
  it('a reverted command fix restores the files it wrote and removes the ones it created', async () => {
    const { root, store, commandLine } = greetingProject();
    writeFileSync(path.join(root, 'notes.txt'), 'mine\n');
    writeFileSync(path.join(root, 'template.txt'), 'template\n');
    mkdirSync(path.join(root, 'out'));
    const id = await propose(
      store,
      root,
      {
        id: 'cmd000000001',
        kind: 'command',
        command: 'cp template.txt notes.txt && touch created.txt && cp template.txt out/',
        description: 'x',
      },
      commandLine,
    );
    // Verification fails (greeting.txt is still wrong), so the fix is reverted.
    const r = await applyFix({ store, fixId: id, trusted: true });
    expect(r.application.state).toBe('reverted');
    expect(r.application.files).toEqual(
      expect.arrayContaining([
        path.join(root, 'notes.txt'),
        path.join(root, 'created.txt'),
        path.join(root, 'out', 'template.txt'),
      ]),
    );
    expect(readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(root, 'created.txt'))).toBe(false);
    expect(existsSync(path.join(root, 'out', 'template.txt'))).toBe(false);
  });
});

describe('revert keeps later edits unless forced', () => {
  it('refuses, naming the file, when a file changed after the apply; --force restores it', async () => {
    const { root, store, commandLine } = greetingProject();
    const id = await propose(
      store,
      root,
      { id: 'edit00000001', kind: 'edit', description: 'fix typo', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      commandLine,
    );
    const r = await applyFix({ store, fixId: id, trusted: true });
    expect(r.application.state).toBe('verified');
    expect(r.application.after?.[path.join(root, 'greeting.txt')]).toBe(`sha256:${sha256Hex('hello\n')}`);
    writeFileSync(path.join(root, 'greeting.txt'), 'hello, edited later\n');
    const e = await revertApplication(store, r.application.id).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RevertError);
    expect((e as RevertError).code).toBe('changed-since');
    expect((e as Error).message).toMatch(/greeting.txt changed since apply .*--force/);
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('hello, edited later\n');
    expect(applications.get(await store.read())[r.application.id].state).toBe('verified');
    await revertApplication(store, r.application.id, undefined, { force: true });
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');
  });

  it('heal revert exits 4 naming the file, and --force reverts', async () => {
    const { root, store, commandLine } = greetingProject();
    const env = { HEAL_STORE: store.dir };
    const id = await propose(
      store,
      root,
      { id: 'edit00000002', kind: 'edit', description: 'fix typo', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      commandLine,
    );
    const applied = await runCli(['--json', 'apply', id], { cwd: root, env });
    expect(applied.code, applied.stderr).toBe(0);
    const applyId = (JSON.parse(applied.stdout) as { application: { id: string } }).application.id;
    writeFileSync(path.join(root, 'greeting.txt'), 'hello!\n');
    const refused = await runCli(['revert', applyId], { cwd: root, env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/greeting.txt changed since apply/);
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('hello!\n');
    const forced = await runCli(['revert', applyId, '--force'], { cwd: root, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');
  });
});

describe('symbolic links', () => {
  it('an edit through a link changes the file it points at; the link stays a link, also after revert', async () => {
    const { root, store } = greetingProject();
    writeFileSync(path.join(root, 'real.ts'), 'export const total = 1;\n');
    mkdirSync(path.join(root, 'src'));
    symlinkSync('../real.ts', path.join(root, 'src', 'total.ts'));
    const id = await propose(store, root, {
      id: 'link00000001',
      kind: 'edit',
      description: 'bump',
      edits: [edit('src/total.ts', 0, 21, 0, 22, '2')],
    });
    const r = await applyFix({ store, fixId: id, trusted: true, verify: false });
    expect(r.application.state).toBe('applied');
    expect(lstatSync(path.join(root, 'src', 'total.ts')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(root, 'src', 'total.ts'))).toBe('../real.ts');
    expect(readFileSync(path.join(root, 'real.ts'), 'utf8')).toBe('export const total = 2;\n');
    await revertApplication(store, r.application.id);
    expect(lstatSync(path.join(root, 'src', 'total.ts')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(root, 'real.ts'), 'utf8')).toBe('export const total = 1;\n');
  });

  it('backs up a link as a link and restores it when it was replaced by a file', async () => {
    const { root, store } = greetingProject();
    const link = path.join(root, 'current');
    symlinkSync('greeting.txt', link);
    const manifest = await createBackup(store.backupsDir, 'l1', [link]);
    expect(manifest.entries).toEqual([
      expect.objectContaining({ path: link, symlink: 'greeting.txt' }),
      expect.objectContaining({ path: path.join(root, 'greeting.txt'), sha256: sha256Hex('helo\n') }),
    ]);
    rmSync(link);
    writeFileSync(link, 'a file now\n');
    writeFileSync(path.join(root, 'greeting.txt'), 'changed\n');
    await restoreBackup(store.backupsDir, (await readBackup(store.backupsDir, 'l1'))!);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('greeting.txt');
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');
  });
});

describe('verification needs a real run', () => {
  it('a re-run whose command does not exist (127) or that is killed does not verify', async () => {
    const { root } = greetingProject();
    const missing = await verifyByRerun('heal-no-such-command-xyz --check', root, 'fp-gone');
    expect(missing).toMatchObject({ ok: false, exitCode: 127 });
    expect(missing.reason).toMatch(/could not find the command \(exit 127\)/);
    const killed = await verifyByRerun(`node -e "process.kill(process.pid, 'SIGKILL')"`, root, 'fp-gone');
    expect(killed.ok).toBe(false);
    expect(killed.reason).toMatch(/was killed/);
  });

  it('an edit verified against a missing command is reverted', async () => {
    const { root, store } = greetingProject();
    const id = await propose(
      store,
      root,
      { id: 'edit00000003', kind: 'edit', description: 'fix typo', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      'heal-no-such-tsc -p .',
      'fp-other',
    );
    const r = await applyFix({ store, fixId: id, trusted: true });
    expect(r.application.state).toBe('reverted');
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');
  });

  it('a proposal made again without a command line keeps the one heal run stored', () => {
    const data = emptyStore();
    const s: Suggestion = {
      fix: { id: 'p1', kind: 'command', command: 'npm ci', description: 'x' },
      tier: 'rule',
      confidence: 0.5,
      why: 'w',
      safety: 'safe',
      provenance: 'rule:t',
    };
    recordProposals(data, [s], { commandLine: 'npm test', cwd: '/w' });
    recordProposals(data, [s], { cwd: '/w' });
    expect(proposals.get(data).p1).toMatchObject({ commandLine: 'npm test', cwd: '/w' });
    recordProposals(data, [s], { commandLine: 'npm run build', cwd: '/w' });
    expect(proposals.get(data).p1.commandLine).toBe('npm run build');
  });
});

describe('heal apply --allow-dangerous', () => {
  it('a dangerous fix needs --allow-dangerous and still a yes; auto-apply never takes it', async () => {
    const { root, store } = greetingProject();
    const env = { HEAL_STORE: store.dir };
    const id = await propose(
      store,
      root,
      { id: 'danger000009', kind: 'command', command: 'echo "echo ran > ran.txt" | sh', description: 'run it' },
      undefined,
      undefined,
      'dangerous',
    );
    const refused = await runCli(['apply', id, '--yes'], { cwd: root, env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/dangerous \(runs code piped into sh.*--allow-dangerous/);
    const unconfirmed = await runCli(['apply', id, '--allow-dangerous'], { cwd: root, env });
    expect(unconfirmed.code).toBe(4);
    expect(unconfirmed.stderr).toMatch(/needs confirmation .*--yes/);
    expect(existsSync(path.join(root, 'ran.txt'))).toBe(false);
    expect(
      (await refusal(applyFix({ store, fixId: id, trusted: true, yes: true, allowDangerous: true, auto: true }))).code,
    ).toBe('dangerous');
    const ok = await runCli(['--json', 'apply', id, '--allow-dangerous', '--yes'], { cwd: root, env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).application.state).toBe('applied');
    expect(readFileSync(path.join(root, 'ran.txt'), 'utf8')).toBe('ran\n');
  });
});

describe('revert re-opens the issue', () => {
  it('reverting a verified fix clears resolvedAt, so the failure is an open issue again', async () => {
    const { root, store, commandLine } = greetingProject();
    await store.update((data) => {
      data.patterns.fp1 = patternFor('fp1');
    });
    const id = await propose(
      store,
      root,
      { id: 'edit00000004', kind: 'edit', description: 'fix typo', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      commandLine,
      'fp1',
    );
    const r = await applyFix({ store, fixId: id, trusted: true });
    expect(r.application.state).toBe('verified');
    expect((await store.read()).patterns.fp1.resolvedAt).toBeDefined();
    expect(openPatterns(await store.read())).toHaveLength(0);
    await revertApplication(store, r.application.id);
    const data = await store.read();
    expect(data.patterns.fp1.resolvedAt).toBeUndefined();
    expect(openPatterns(data).map((p) => p.fingerprint)).toEqual(['fp1']);
  });
});
