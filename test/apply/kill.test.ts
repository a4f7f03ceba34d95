// kill -9 during `heal apply` at many points: each file is old or new (never a mix), the backup is intact,
// `heal status` reports the interrupted apply, and `heal revert` brings back the original bytes and modes.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../cliHarness';
import { applications, isInFlight } from '../../shared/apply/applications';
import { readBackup, sha256Hex } from '../../shared/apply/backup';
import { recordProposals } from '../../shared/apply/proposals';
import { LocalStore } from '../../shared/store/localStore';

/** Deterministic pseudo-random delays (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OLD_A = 'a'.repeat(400_000) + '\n';
const OLD_B = 'b'.repeat(400_000) + '\n';
const NEW_A = 'A' + OLD_A.slice(1);
const NEW_B = 'B' + OLD_B.slice(1);

async function setUp(): Promise<{ cwd: string; store: LocalStore }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'heal-kill-'));
  writeFileSync(path.join(cwd, 'a.txt'), OLD_A);
  chmodSync(path.join(cwd, 'a.txt'), 0o640);
  writeFileSync(path.join(cwd, 'b.txt'), OLD_B);
  chmodSync(path.join(cwd, 'b.txt'), 0o600);
  // The verification re-run takes a while and fails, so the revert path is exercised too.
  writeFileSync(path.join(cwd, 'check.js'), 'setTimeout(() => process.exit(1), 150);\n');
  const store = new LocalStore(path.join(cwd, '.heal'));
  const edit = (file: string, text: string, old: string) => ({
    file,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    newText: text,
    baseHash: sha256Hex(old),
  });
  await store.update((data) =>
    recordProposals(
      data,
      [
        {
          fix: {
            id: 'killfix00001',
            kind: 'edit',
            description: 'two files',
            edits: [edit('a.txt', 'A', OLD_A), edit('b.txt', 'B', OLD_B)],
          },
          tier: 'rule',
          confidence: 0.5,
          why: 'test',
          safety: 'safe',
          provenance: 'rule:test',
        },
      ],
      { commandLine: 'node check.js', cwd },
    ),
  );
  return { cwd, store };
}

function content(cwd: string, f: string): string {
  return readFileSync(path.join(cwd, f), 'utf8');
}

describe('kill -9 during heal apply', () => {
  it('leaves each file old or new, the backup intact, and the apply reported and revertible', async () => {
    const cli = await cliPath();
    const random = prng(20260124);
    const seen = { beforeRecord: 0, interrupted: 0, finished: 0 };
    for (let i = 0; i < 14; i++) {
      const { cwd, store } = await setUp();
      const env = { ...process.env, HEAL_STORE: store.dir, NO_COLOR: '1' };
      const child = spawn(process.execPath, [cli, 'apply', 'killfix00001'], { cwd, env, stdio: 'ignore' });
      const delay = 100 + random() * 550;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });

      // Each file is either entirely old or entirely new, with its mode.
      expect([OLD_A, NEW_A]).toContain(content(cwd, 'a.txt'));
      expect([OLD_B, NEW_B]).toContain(content(cwd, 'b.txt'));
      expect(statSync(path.join(cwd, 'a.txt')).mode & 0o777).toBe(0o640);
      expect(statSync(path.join(cwd, 'b.txt')).mode & 0o777).toBe(0o600);
      // Any backup with a manifest is complete and matches its hashes.
      if (existsSync(store.backupsDir))
        for (const id of readdirSync(store.backupsDir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name))
          await readBackup(store.backupsDir, id);

      const apps = Object.values(applications.get(await store.read()));
      if (apps.length === 0) {
        seen.beforeRecord++;
        expect(content(cwd, 'a.txt')).toBe(OLD_A);
        expect(content(cwd, 'b.txt')).toBe(OLD_B);
        continue;
      }
      const app = apps[0];
      if (!isInFlight(app)) {
        seen.finished++;
        expect(app.state).toBe('reverted');
        expect(content(cwd, 'a.txt')).toBe(OLD_A);
        continue;
      }
      seen.interrupted++;
      const status = await runCli(['--json', 'status'], { cwd, env });
      const reported = JSON.parse(status.stdout) as { interruptedApplies: Array<{ id: string; revert: string }> };
      expect(reported.interruptedApplies.map((a) => a.id)).toEqual([app.id]);
      expect(reported.interruptedApplies[0].revert).toBe(`heal revert ${app.id}`);
      const human = await runCli(['status'], { cwd, env });
      expect(human.stdout).toContain(`heal revert ${app.id}`);
      const revert = await runCli(['revert', app.id], { cwd, env });
      expect(revert.code, revert.stderr).toBe(0);
      expect(content(cwd, 'a.txt')).toBe(OLD_A);
      expect(content(cwd, 'b.txt')).toBe(OLD_B);
      expect(statSync(path.join(cwd, 'a.txt')).mode & 0o777).toBe(0o640);
      expect(statSync(path.join(cwd, 'b.txt')).mode & 0o777).toBe(0o600);
      expect(readdirSync(cwd).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    }
    // The kill points cover the moments that matter; timing varies, so only the total is exact.
    expect(seen.beforeRecord + seen.interrupted + seen.finished).toBe(14);
    console.log('kill -9 points:', seen);
  });
});
