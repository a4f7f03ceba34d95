// Heal's own unexpected exceptions (exit 70) are kept so `heal report` can be about them, scrubbed.
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../client/cli/main';
import { incidentSection } from '../../shared/report/incidents';
import { LocalStore } from '../../shared/store/localStore';
import { runCli } from '../cliHarness';

const SECRET = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

// A command with a bug in it: `heal explain` throws what no handler expects.
vi.mock('../../client/cli/commands/explain', () => ({
  register(program: Command) {
    program
      .command('explain')
      .argument('[fingerprint]')
      .action(() => {
        const config = undefined as unknown as { token: string };
        throw new TypeError(
          `Cannot read properties of undefined (reading 'token') with GITHUB_TOKEN=${SECRET} in ${homedir()}/project/x.js ${config?.token ?? ''}`,
        );
      });
  },
}));

afterEach(() => vi.restoreAllMocks());

describe('crashes', () => {
  it('an unexpected exception exits 70, is recorded, and heal report is about it, scrubbed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-crash-'));
    const store = new LocalStore(path.join(dir, '.heal'));
    await store.update(() => undefined); // a store in use
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main(['node', 'heal', '--store', store.dir, 'explain', 'abc']);
    expect(code).toBe(70);
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(
      /unexpected error: TypeError[\s\S]*heal report/,
    );
    stderr.mockRestore();
    const [incident] = incidentSection.get(await store.read());
    expect(incident).toMatchObject({ kind: 'crash', tool: 'heal', category: 'TypeError', commandLine: 'heal explain' });

    const env = { HEAL_CONFIG_DIR: path.join(dir, 'config') }; // the same home directory as the crash's
    const full = await runCli(['--store', store.dir, 'report', '--preview', '--consent', 'full'], { cwd: dir, env });
    expect(full.code).toBe(0);
    const report = JSON.parse(full.stdout);
    expect(report.failure).toMatchObject({
      kind: 'crash',
      tool: 'heal',
      category: 'TypeError',
      fingerprint: incident.fingerprint,
    });
    expect(report.failure.message).toMatch(/^heal explain: TypeError: Cannot read properties of undefined/);
    expect(report.command).toBe('heal');
    expect(report.outputExcerpt).toMatch(/at /); // the stack, at the full level
    expect(full.stdout).not.toContain(SECRET);
    expect(full.stdout).not.toContain(homedir());
    const minimal = JSON.parse(
      (await runCli(['--store', store.dir, 'report', '--preview', '--consent', 'minimal'], { cwd: dir, env })).stdout,
    );
    expect(minimal.failure.message).toBeUndefined();
  }, 60_000);

  it('a crash does not create a store where Heal was never used', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-crash-'));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['node', 'heal', '--store', path.join(dir, '.heal'), 'explain'])).toBe(70);
    expect(existsSync(path.join(dir, '.heal'))).toBe(false);
  });
});
