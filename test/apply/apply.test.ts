import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFix, ApplyRefused, describeChange, prepareApply } from '../../shared/apply/apply';
import {
  applications,
  interruptedApplications,
  isInterrupted,
  saveApplication,
  type Application,
} from '../../shared/apply/applications';
import { createBackup, pruneBackups, readBackup, restoreBackup, sha256Hex } from '../../shared/apply/backup';
import { recordProposals, withBaseHashes } from '../../shared/apply/proposals';
import { revertApplication } from '../../shared/apply/revert';
import { applyTextEdits } from '../../shared/apply/textEdits';
import { breakerSection, breakerView } from '../../shared/learn/circuitBreaker';
import { checkPreconditions } from '../../shared/validate/preconditions';
import { LocalStore } from '../../shared/store/localStore';
import type { Fix, TextEdit } from '../../shared/fix';
import type { Suggestion } from '../../shared/lookup/suggestion';
import { newPattern } from '../../shared/store/patterns';

const at = (line: number, character: number) => ({ line, character });
const edit = (file: string, sl: number, sc: number, el: number, ec: number, newText: string): TextEdit => ({
  file,
  range: { start: at(sl, sc), end: at(el, ec) },
  newText,
});

describe('text edits', () => {
  it('applies several edits by LSP positions, end exclusive', () => {
    expect(
      applyTextEdits('hello world\nsecond line\n', [edit('f', 0, 0, 0, 5, 'HELLO'), edit('f', 1, 7, 1, 11, 'row')]),
    ).toBe('HELLO world\nsecond row\n');
    expect(applyTextEdits('a\n', [edit('f', 1, 0, 1, 0, 'b\n')])).toBe('a\nb\n');
  });
  it('refuses overlapping or out-of-range edits with the file named', () => {
    expect(() => applyTextEdits('abc', [edit('f', 0, 0, 0, 2, 'x'), edit('f', 0, 1, 0, 3, 'y')])).toThrow(/overlap/);
    expect(() => applyTextEdits('abc', [edit('src/x.ts', 5, 0, 5, 1, 'x')], 'src/x.ts')).toThrow(/src\/x.ts: .*line 6/);
    expect(() => applyTextEdits('abc\nd', [edit('f', 0, 9, 0, 9, 'x')])).toThrow(/past the end/);
  });
});

function project(): { root: string; store: LocalStore } {
  const root = mkdtempSync(path.join(tmpdir(), 'heal-apply-'));
  return { root, store: new LocalStore(path.join(root, '.heal')) };
}

describe('backups', () => {
  it('restore gives back content and mode exactly, and removes files that did not exist', async () => {
    const { root, store } = project();
    const a = path.join(root, 'a.sh');
    writeFileSync(a, Buffer.from([0, 1, 2, 255, 10]));
    chmodSync(a, 0o751);
    const b = path.join(root, 'new.txt');
    const manifest = await createBackup(store.backupsDir, 'x1', [a, b]);
    writeFileSync(a, 'changed');
    chmodSync(a, 0o600);
    writeFileSync(b, 'created');
    await restoreBackup(store.backupsDir, (await readBackup(store.backupsDir, 'x1'))!);
    expect(readFileSync(a)).toEqual(Buffer.from([0, 1, 2, 255, 10]));
    expect(statSync(a).mode & 0o7777).toBe(0o751);
    expect(existsSync(b)).toBe(false);
    expect(manifest.entries.map((e) => e.existed)).toEqual([true, false]);
  });
  it('a damaged backup is detected and nothing is restored', async () => {
    const { root, store } = project();
    const a = path.join(root, 'a.txt');
    writeFileSync(a, 'original');
    await createBackup(store.backupsDir, 'x2', [a]);
    writeFileSync(path.join(store.backupsDir, 'x2', '0.bin'), 'tampered');
    await expect(readBackup(store.backupsDir, 'x2')).rejects.toThrow(/damaged/);
    expect(await readBackup(store.backupsDir, 'missing')).toBeUndefined();
  });
  it('backups of applications no longer on record are pruned', async () => {
    const { root, store } = project();
    writeFileSync(path.join(root, 'a.txt'), 'x');
    for (const id of ['old', 'kept']) await createBackup(store.backupsDir, id, [path.join(root, 'a.txt')]);
    expect(await pruneBackups(store.backupsDir, new Set(['kept']))).toBe(1);
    expect(await readBackup(store.backupsDir, 'old')).toBeUndefined();
    expect(await readBackup(store.backupsDir, 'kept')).toBeDefined();
  });
});

/** A tiny project whose "test" passes when greeting.txt says hello. */
function greetingProject() {
  const { root, store } = project();
  writeFileSync(path.join(root, 'greeting.txt'), 'helo\n');
  chmodSync(path.join(root, 'greeting.txt'), 0o640);
  writeFileSync(
    path.join(root, 'check.js'),
    "const t = require('fs').readFileSync(__dirname + '/greeting.txt', 'utf8'); if (t !== 'hello\\n') { console.error('Error: greeting is wrong'); process.exit(1); }\n",
  );
  return { root, store, commandLine: `node check.js` };
}

async function propose(
  store: LocalStore,
  root: string,
  fix: Fix,
  commandLine?: string,
  safety: Suggestion['safety'] = 'safe',
  fingerprint?: string,
) {
  const s = withBaseHashes(
    { fix, tier: 'rule', confidence: 0.8, why: 'test', safety, provenance: 'rule:test', fingerprint },
    root,
  );
  await store.update((data) => recordProposals(data, [s], { commandLine, cwd: root }));
  return s.fix.id;
}

const T0 = Date.UTC(2026, 0, 1, 12);

describe('applyFix after the editor made the edit', () => {
  it('backs up the contents taken before the edit, verifies, and reverts them exactly when the edit did not help', async () => {
    const { root, store, commandLine } = greetingProject();
    const file = path.join(root, 'greeting.txt');
    const original = { path: file, content: readFileSync(file), mode: 0o640 };
    // A wrong edit, already made by the editor: verification fails and the file is put back byte for byte.
    const wrong = await propose(
      store,
      root,
      { id: 'wrong', kind: 'edit', description: 'bad fix', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hallo')] },
      commandLine,
    );
    writeFileSync(file, 'hallo\n');
    const r = await applyFix({ store, fixId: wrong, trusted: true, yes: true, editedBy: { originals: [original] } });
    expect(r.application.state).toBe('reverted');
    expect(readFileSync(file)).toEqual(original.content);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // The right edit: verified, left in place.
    const right = await propose(
      store,
      root,
      { id: 'right', kind: 'edit', description: 'fix typo', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      commandLine,
    );
    writeFileSync(file, 'hello\n');
    const ok = await applyFix({ store, fixId: right, trusted: true, yes: true, editedBy: { originals: [original] } });
    expect(ok.application.state).toBe('verified');
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
    expect((await readBackup(store.backupsDir, ok.application.id))!.entries[0].sha256).toBe(
      sha256Hex(original.content),
    );
  });
});

describe('applyFix', () => {
  it('applies an edit, verifies it by re-running the command, and records the outcome', async () => {
    const { root, store, commandLine } = greetingProject();
    await store.update((data) => {
      data.patterns.fp1 = newPattern(
        {
          tool: 'node',
          category: 'x',
          severity: 'error',
          message: 'greeting is wrong',
          context: [],
          startLine: 1,
          endLine: 1,
          fingerprint: 'fp1',
          coarseFingerprint: 'c',
        },
        't',
      );
    });
    const id = await propose(
      store,
      root,
      { id: 'good', kind: 'edit', description: 'fix typo', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      commandLine,
      'safe',
      'fp1',
    );
    const r = await applyFix({ store, fixId: id, trusted: true, clock: () => T0 });
    expect(r.verification?.ok).toBe(true);
    expect(r.application.state).toBe('verified');
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('hello\n');
    expect(statSync(path.join(root, 'greeting.txt')).mode & 0o777).toBe(0o640);
    const data = await store.read();
    expect(data.patterns.fp1.counts.fixed).toBe(1);
    expect(data.patterns.fp1.fixes[0].id).toBe('good');
    expect(applications.get(data)[r.application.id].state).toBe('verified');
    // A verified apply can still be reverted by hand, byte-identically.
    await revertApplication(store, r.application.id, () => T0 + 1000);
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');
  });

  it('reverts a wrong fix byte-identically (content and mode), records the failure, and two reverts trip the breaker', async () => {
    const { root, store, commandLine } = greetingProject();
    const before = readFileSync(path.join(root, 'greeting.txt'));
    const wrong1 = await propose(
      store,
      root,
      { id: 'wrong1', kind: 'edit', description: 'wrong', edits: [edit('greeting.txt', 0, 0, 0, 0, '# ')] },
      commandLine,
    );
    const r1 = await applyFix({ store, fixId: wrong1, trusted: true, clock: () => T0 });
    expect(r1.application.state).toBe('reverted');
    expect(r1.application.reason).toMatch(/verification failed: `node check.js` still fails/);
    expect(readFileSync(path.join(root, 'greeting.txt'))).toEqual(before);
    expect(statSync(path.join(root, 'greeting.txt')).mode & 0o777).toBe(0o640);

    const wrong2 = await propose(
      store,
      root,
      { id: 'wrong2', kind: 'edit', description: 'wrong again', edits: [edit('greeting.txt', 0, 4, 0, 4, '!')] },
      commandLine,
    );
    await applyFix({ store, fixId: wrong2, trusted: true, clock: () => T0 + 60_000 });
    expect(readFileSync(path.join(root, 'greeting.txt'))).toEqual(before);
    expect(breakerView(breakerSection.get(await store.read()), T0 + 120_000).state).toBe('open');

    const good = await propose(
      store,
      root,
      { id: 'good2', kind: 'edit', description: 'fix', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      commandLine,
    );
    await expect(applyFix({ store, fixId: good, trusted: true, clock: () => T0 + 120_000 })).rejects.toThrow(
      /circuit breaker is open/,
    );
    // Half-open after 30 minutes: the one trial goes through and closes the breaker.
    const r3 = await applyFix({ store, fixId: good, trusted: true, clock: () => T0 + 32 * 60_000 });
    expect(r3.application.state).toBe('verified');
    expect(breakerSection.get(await store.read()).state).toBe('closed');
  });

  it('refuses dangerous, untrusted, unconfirmed, stale and unknown fixes, saying why, without touching files', async () => {
    const { root, store, commandLine } = greetingProject();
    const refusal = async (p: Promise<unknown>) => {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApplyRefused);
      return e as ApplyRefused;
    };
    const danger = await propose(
      store,
      root,
      { id: 'd', kind: 'command', command: 'git reset --hard', description: 'reset' },
      commandLine,
      'dangerous',
    );
    expect((await refusal(applyFix({ store, fixId: danger, trusted: true }))).message).toMatch(
      /dangerous \(git reset --hard discards work\)/,
    );
    const outside = await propose(
      store,
      root,
      { id: 'o', kind: 'edit', description: 'x', edits: [edit('../elsewhere.txt', 0, 0, 0, 0, 'x')] },
      commandLine,
    );
    expect((await refusal(applyFix({ store, fixId: outside, trusted: true }))).code).toBe('dangerous');
    const fine = await propose(
      store,
      root,
      { id: 'g', kind: 'edit', description: 'fix', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      commandLine,
    );
    expect((await refusal(applyFix({ store, fixId: fine, trusted: false }))).code).toBe('untrusted');
    const review = await propose(
      store,
      root,
      { id: 'r', kind: 'command', command: 'rm -rf build', description: 'clean' },
      commandLine,
    );
    expect((await refusal(applyFix({ store, fixId: review, trusted: true }))).message).toMatch(
      /needs confirmation \(recursive rm of build\); pass --yes/,
    );
    expect((await refusal(applyFix({ store, fixId: review, trusted: true, confirm: async () => false }))).code).toBe(
      'not-confirmed',
    );
    expect((await refusal(applyFix({ store, fixId: 'nope', trusted: true }))).code).toBe('unknown-fix');
    writeFileSync(path.join(root, 'greeting.txt'), 'user edited\n');
    const stale = await refusal(applyFix({ store, fixId: fine, trusted: true }));
    expect(stale.code).toBe('precondition');
    expect(stale.message).toMatch(/greeting.txt: the file changed since the fix was proposed/);
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('user edited\n');
    expect(Object.keys(applications.get(await store.read()))).toHaveLength(0);
  });

  it('a file saved by the user during the apply is left alone, and the fix is not blamed', async () => {
    const { root, store, commandLine } = greetingProject();
    writeFileSync(path.join(root, 'other.txt'), 'one\n');
    const id = await propose(
      store,
      root,
      {
        id: 'two',
        kind: 'edit',
        description: 'two files',
        edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello'), edit('other.txt', 0, 0, 0, 3, 'two')],
      },
      commandLine,
      'safe',
    );
    const e = await applyFix({
      store,
      fixId: id,
      trusted: true,
      clock: () => T0,
      onStep: (step) => step === 'backed-up' && writeFileSync(path.join(root, 'other.txt'), 'user\n'),
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApplyRefused);
    expect((e as Error).message).toMatch(/other.txt changed while the fix was being applied; it was not touched/);
    expect(readFileSync(path.join(root, 'other.txt'), 'utf8')).toBe('user\n');
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');
    const data = await store.read();
    expect(Object.values(applications.get(data))[0].state).toBe('reverted');
    expect(breakerSection.get(data).reverts).toEqual([]);
  });

  it('checks preconditions per file', async () => {
    const { root } = greetingProject();
    const fix: Fix = {
      id: 'p',
      kind: 'edit',
      description: '',
      edits: [
        { ...edit('greeting.txt', 0, 0, 0, 0, 'x'), baseHash: sha256Hex('helo\n') },
        edit('new.txt', 0, 0, 0, 0, 'y'),
        edit('check.js', 0, 0, 0, 0, ''),
      ],
    };
    expect(await checkPreconditions(fix, root)).toEqual([
      { file: 'check.js', reason: 'the fix does not record which version of the file it was computed from' },
    ]);
  });

  it('a failing fix command restores the manifest files it may have changed', async () => {
    const { root, store, commandLine } = greetingProject();
    writeFileSync(path.join(root, 'package.json'), '{"name":"x"}\n');
    const id = await propose(
      store,
      root,
      {
        id: 'c',
        kind: 'command',
        command: "node -e \"require('fs').writeFileSync('package.json', 'broken'); process.exit(3)\"",
        description: 'x',
      },
      commandLine,
    );
    const r = await applyFix({ store, fixId: id, trusted: true, yes: true });
    expect(r.application.state).toBe('reverted');
    expect(r.application.reason).toMatch(/failed \(exit 3\)/);
    expect(readFileSync(path.join(root, 'package.json'), 'utf8')).toBe('{"name":"x"}\n');
  });

  it('dry-run description is a unified diff for edits', async () => {
    const { root, store, commandLine } = greetingProject();
    const id = await propose(
      store,
      root,
      { id: 'g', kind: 'edit', description: 'fix', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      commandLine,
    );
    const diff = await describeChange(await prepareApply(store, id, true));
    expect(diff).toContain('--- a/greeting.txt');
    expect(diff).toContain('-helo');
    expect(diff).toContain('+hello');
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');
  });
});

describe('interrupted applies', () => {
  it('an in-flight apply whose process is gone is interrupted; a revert without a complete backup changes nothing', async () => {
    const { root, store } = greetingProject();
    const app: Application = {
      id: 'a1',
      fixId: 'f',
      kind: 'edit',
      description: 'd',
      cwd: root,
      startedAt: 't',
      state: 'applying',
      pid: 999_999_99,
      host: (await import('node:os')).hostname(),
      files: [path.join(root, 'greeting.txt')],
    };
    await store.update((data) => saveApplication(data, app));
    expect(isInterrupted(app, () => false)).toBe(true);
    expect(isInterrupted({ ...app, pid: process.pid })).toBe(false);
    expect(interruptedApplications(await store.read()).map((a) => a.id)).toEqual(['a1']);
    const fixId = await propose(
      store,
      root,
      { id: 'g', kind: 'edit', description: 'fix', edits: [edit('greeting.txt', 0, 0, 0, 4, 'hello')] },
      'node check.js',
    );
    await store.update((data) => saveApplication(data, { ...app, pid: 999_999_99 }));
    await expect(applyFix({ store, fixId, trusted: true })).rejects.toThrow(
      /apply a1 in this folder was interrupted; run `heal revert a1` first/,
    );
    const reverted = await revertApplication(store, 'a1');
    expect(reverted.reason).toMatch(/before any file changed/);
    expect(readFileSync(path.join(root, 'greeting.txt'), 'utf8')).toBe('helo\n');
    await expect(revertApplication(store, 'a1')).rejects.toThrow(/already reverted/);
  });
});
