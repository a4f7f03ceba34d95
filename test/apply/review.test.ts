// `heal issues review` in a real pseudo-terminal (util-linux `script`), driven by keystrokes.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../cliHarness';
import { recordProposals } from '../../shared/apply/proposals';
import { LocalStore } from '../../shared/store/localStore';
import { newPattern } from '../../shared/store/patterns';
import { shellQuote } from '../../shared/runCommand';

const hasScript = spawnSync('script', ['--version']).status === 0;
const DOWN = '\x1b[B';
const ENTER = '\r';

describe.skipIf(!hasScript)('heal issues review', () => {
  it('shows each issue with its fix and carries out ignore and quit', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'heal-review-'));
    const store = new LocalStore(path.join(cwd, '.heal'));
    await store.update((data) => {
      for (const [fp, at, msg] of [
        ['fa00000000000001', '2026-01-02T00:00:00.000Z', "Cannot find module 'left-pad'"],
        ['fb00000000000002', '2026-01-01T00:00:00.000Z', 'port 3000 in use'],
      ]) {
        const p = newPattern(
          {
            tool: 'node',
            category: 'x',
            severity: 'error',
            message: msg,
            context: [],
            startLine: 1,
            endLine: 1,
            fingerprint: fp,
            coarseFingerprint: 'c',
          },
          at,
        );
        p.examples.push(msg);
        p.counts.seen = 2;
        data.patterns[fp] = p;
      }
      recordProposals(
        data,
        [
          {
            fix: { id: 'padfix000001', kind: 'command', command: 'npm install left-pad', description: 'install' },
            tier: 'rule',
            confidence: 0.8,
            why: 'w',
            safety: 'safe',
            provenance: 'rule:t',
            fingerprint: 'fa00000000000001',
          },
        ],
        { commandLine: 'node index.js', cwd },
      );
    });
    const cli = await cliPath();
    const child = spawn(
      'script',
      ['-qec', `${shellQuote(process.execPath)} ${shellQuote(cli)} issues review`, '/dev/null'],
      { cwd, env: { ...process.env, HEAL_STORE: store.dir, NO_COLOR: '1', TERM: 'xterm' } },
    );
    let screen = '';
    const prompts: string[][] = [
      [DOWN, ENTER], // issue 1: apply, >ignore<, skip, quit
      [DOWN, DOWN, ENTER], // issue 2: ignore, skip, >quit<
    ];
    let answered = 0;
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      const asked = screen.split('What now?').length - 1;
      if (asked > answered && prompts[answered]) {
        const keys = prompts[answered++];
        // Keys one at a time, as a person types them.
        keys.forEach((k, i) => setTimeout(() => child.stdin.write(k), 100 * (i + 1)));
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, screen).toBe(0);
    expect(screen).toContain('Issue 1 of 2: node x (fa00000000000001)');
    expect(screen).toContain('suggested fix padfix000001: run `npm install left-pad` [safe, 80%]');
    expect(screen).toContain('Issue 2 of 2');
    expect(screen).toContain('no fix to apply yet');
    expect(screen).toContain('Reviewed: 0 applied, 1 ignored, 0 skipped.');
    const data = await store.read();
    expect(data.patterns.fa00000000000001.ignored).toBe(true);
    expect(data.patterns.fb00000000000002.ignored).toBe(false);
  });

  it('applies the suggested fix from the review and verifies it by re-running the command', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'heal-review-apply-'));
    const store = new LocalStore(path.join(cwd, '.heal'));
    await store.update((data) => {
      const p = newPattern(
        {
          tool: 'shell',
          category: 'enoent',
          severity: 'error',
          message: 'ls: cannot access build',
          context: [],
          startLine: 1,
          endLine: 1,
          fingerprint: 'fc00000000000003',
          coarseFingerprint: 'c',
        },
        '2026-01-03T00:00:00.000Z',
      );
      p.counts.seen = 1;
      data.patterns[p.fingerprint] = p;
      recordProposals(
        data,
        [
          {
            fix: { id: 'mkdirfix0001', kind: 'command', command: 'mkdir -p build', description: 'create build' },
            tier: 'rule',
            confidence: 0.9,
            why: 'w',
            safety: 'safe',
            provenance: 'rule:t',
            fingerprint: p.fingerprint,
          },
        ],
        { commandLine: 'ls build', cwd },
      );
    });
    const cli = await cliPath();
    const child = spawn(
      'script',
      ['-qec', `${shellQuote(process.execPath)} ${shellQuote(cli)} issues review`, '/dev/null'],
      { cwd, env: { ...process.env, HEAL_STORE: store.dir, NO_COLOR: '1', TERM: 'xterm' } },
    );
    let screen = '';
    let answered = false;
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      if (!answered && screen.includes('What now?')) {
        answered = true;
        setTimeout(() => child.stdin.write(ENTER), 100); // the first choice: apply
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, screen).toBe(0);
    expect(screen).toContain('applied and verified: `ls build` now succeeds');
    expect(screen).toContain('Reviewed: 1 applied, 0 ignored, 0 skipped.');
    const data = await store.read();
    expect(data.patterns.fc00000000000003.counts.fixed).toBe(1);
  });
});
