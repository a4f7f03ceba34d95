// The `heal` command the extension puts on the integrated terminal's PATH runs the bundled CLI with the editor's
// own runtime, whatever the paths contain.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliShims } from '../../client/cliOnPath';

describe('the heal shim on the terminal PATH', () => {
  it('runs the CLI with the given runtime and passes arguments through, with spaces and quotes in paths', () => {
    const dir = mkdtempSync(path.join(tmpdir(), "heal shim 'x' "));
    const cli = path.join(dir, "cli it's.js");
    writeFileSync(
      cli,
      'console.log(JSON.stringify({ args: process.argv.slice(2), asNode: process.env.ELECTRON_RUN_AS_NODE }))',
    );
    const shim = path.join(dir, 'heal');
    writeFileSync(shim, cliShims(process.execPath, cli).heal);
    chmodSync(shim, 0o755);
    const out = JSON.parse(
      execFileSync(shim, ['status', '--json', 'a b', '$HOME'], { encoding: 'utf8', env: { PATH: '/nonexistent' } }),
    );
    expect(out).toEqual({ args: ['status', '--json', 'a b', '$HOME'], asNode: '1' });
  });

  it('writes a Windows .cmd that sets the runtime to act as Node', () => {
    const cmd = cliShims('C:\\Program Files\\Code\\Code.exe', 'C:\\ext\\dist\\cli.js')['heal.cmd'];
    expect(cmd).toContain('set ELECTRON_RUN_AS_NODE=1');
    expect(cmd).toContain('"C:\\Program Files\\Code\\Code.exe" "C:\\ext\\dist\\cli.js" %*');
    expect(cmd.split('\r\n').length).toBeGreaterThan(3);
  });
});
