// Learning from the user's own fix, through the real CLI in a git work tree.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliHarness';

/** A "compiler" that fails with tsc's real message while config.json has the wrong port. */
function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'heal-userfix-'));
  writeFileSync(path.join(dir, 'config.json'), '{\n  "name": "shop",\n  "port": "8080"\n}\n');
  writeFileSync(
    path.join(dir, 'check.js'),
    `const c = JSON.parse(require('fs').readFileSync('config.json', 'utf8'));
if (typeof c.port !== 'number') { console.log("config.ts(3,3): error TS2322: Type 'string' is not assignable to type 'number'."); process.exit(2); }
`,
  );
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'start');
  return dir;
}

describe("learning from the user's own fix", () => {
  it('offers the change when the command passes after the user edited files, and remembers it only when accepted', async () => {
    const dir = project();
    const store = path.join(dir, '.heal');
    const heal = (...args: string[]) => runCli(['--store', store, ...args], { cwd: dir });
    const failed = await heal('run', '--', 'node', 'check.js');
    expect(failed.code).toBe(2);
    writeFileSync(path.join(dir, 'config.json'), '{\n  "name": "shop",\n  "port": 8080\n}\n');
    const passed = await heal('run', '--json', '--', 'node', 'check.js');
    expect(passed.code).toBe(0);
    const offer = JSON.parse(passed.stdout).learnOffer;
    expect(offer.fix).toMatchObject({
      kind: 'edit',
      edits: [{ file: 'config.json', range: { start: { line: 2 }, end: { line: 3 } }, newText: '  "port": 8080\n' }],
    });
    // Not remembered yet: nothing happens silently.
    const fingerprint = offer.fingerprints[0];
    const before = JSON.parse((await heal('explain', fingerprint, '--json')).stdout);
    expect(before.pattern.fixes).toHaveLength(0);
    expect((await heal('learn', offer.id, '--show')).stdout).toContain('+  "port": 8080');
    const learned = await heal('learn', offer.id);
    expect(learned.code).toBe(0);
    const after = JSON.parse((await heal('explain', fingerprint, '--json')).stdout);
    expect(after.pattern.fixes[0]).toMatchObject({ kind: 'edit' });

    // The same failure again: the remembered fix comes first and applies.
    writeFileSync(path.join(dir, 'config.json'), '{\n  "name": "shop",\n  "port": "8080"\n}\n');
    const again = JSON.parse((await heal('run', '--json', '--', 'node', 'check.js')).stdout);
    expect(again.suggestions[0]).toMatchObject({ tier: 'exact', fix: { kind: 'edit' } });
    const applied = await heal('apply', again.suggestions[0].fix.id, '--yes');
    expect(applied.code).toBe(0);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toContain('"port": 8080');
  }, 60_000);

  it('offers nothing outside a git work tree, or when nothing changed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-nogit-'));
    writeFileSync(
      path.join(dir, 'flip.js'),
      "const fs=require('fs');if(!fs.existsSync('ok')){fs.writeFileSync('ok','');console.log(\"a.ts(1,1): error TS2304: Cannot find name 'x'.\");process.exit(2)}",
    );
    const store = path.join(dir, '.heal');
    await runCli(['--store', store, 'run', '--', 'node', 'flip.js'], { cwd: dir });
    const passed = JSON.parse(
      (await runCli(['--store', store, 'run', '--json', '--', 'node', 'flip.js'], { cwd: dir })).stdout,
    );
    expect(passed.learnOffer).toBeUndefined();
  }, 30_000);
});
