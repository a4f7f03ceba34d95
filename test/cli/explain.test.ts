// heal explain shows the suggestion heal run proposed: the same fix id, valid edit ranges, and heal apply takes it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliHarness';

const tsc = path.resolve(__dirname, '../../node_modules/typescript/bin/tsc');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'heal-explain-'));

describe('heal explain', () => {
  it('offers the top suggestion of heal run with the same id and valid ranges, and heal apply finds it', async () => {
    const dir = tmp();
    const store = tmp();
    writeFileSync(path.join(dir, 'typo.ts'), 'const total = 1;\nconsole.log(totl);\n');
    // A real tsc failure through heal run, in the project folder.
    const run = await runCli(
      ['run', '--json', '--store', store, '--', process.execPath, tsc, '--strict', '--noEmit', 'typo.ts'],
      { cwd: dir },
    );
    expect(run.code).toBe(2);
    const ran = JSON.parse(run.stdout);
    const proposed = ran.suggestions[0];
    expect(proposed).toMatchObject({ provenance: 'rule:runtime.tsc-did-you-mean', fix: { kind: 'edit' } });
    const fingerprint = ran.events[0].fingerprint;
    // explain runs elsewhere (the store remembers where the failure happened).
    const explained = await runCli(['explain', fingerprint, '--json', '--store', store], { cwd: tmp() });
    expect(explained.code).toBe(0);
    const top = JSON.parse(explained.stdout).suggestions[0];
    expect(top.fix.id).toBe(proposed.fix.id);
    expect(top.fix.edits).toEqual([
      expect.objectContaining({
        file: 'typo.ts',
        newText: 'total',
        range: { start: { line: 1, character: 12 }, end: { line: 1, character: 16 } },
      }),
    ]);
    const dry = await runCli(['apply', top.fix.id, '--dry-run', '--store', store], { cwd: dir });
    expect(dry.stderr).not.toMatch(/No proposed fix/);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/\+console\.log\(total\);/);
  });

  it('has no edit with a missing column when the file cannot be read: it says what to change instead', async () => {
    const store = tmp();
    const line = "gone.ts(2,13): error TS2552: Cannot find name 'totl'. Did you mean 'total'?\n";
    await runCli(['scan', '-', '--store', store], { input: line, cwd: tmp() });
    const status = JSON.parse((await runCli(['status', '--json', '--store', store])).stdout);
    const fingerprint = JSON.stringify(status).match(/"fingerprint":"([0-9a-f]{16})"/)![1];
    const explained = JSON.parse(
      (await runCli(['explain', fingerprint, '--json', '--store', store], { cwd: tmp() })).stdout,
    );
    expect(JSON.stringify(explained.suggestions)).not.toContain('null}');
    expect(explained.suggestions[0]).toMatchObject({
      provenance: 'rule:runtime.tsc-did-you-mean',
      fix: { kind: 'advice', description: 'Replace `totl` with `total` at gone.ts:2' },
    });
  });
});
