// `heal run` passes the command's output through byte for byte: binary data, invalid UTF-8 and multi-byte
// characters split across pipe reads come out exactly as the command wrote them.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../cliHarness';
import { runCommand } from '../../shared/runCommand';

const dir = mkdtempSync(path.join(tmpdir(), 'heal-passthrough-'));

/** Runs the real CLI and collects stdout as raw bytes. */
async function runCliRaw(args: string[]): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const cli = await cliPath();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, NO_COLOR: '1', CI: 'false', GITHUB_STEP_SUMMARY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

/** A sink that keeps every chunk it is given, as bytes. */
function byteSink(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

describe('heal run passes output through unchanged', () => {
  it('invalid UTF-8 bytes are not replaced', async () => {
    const file = path.join(dir, 'fffe.bin');
    writeFileSync(file, Buffer.from([0xff, 0xfe]));
    const r = await runCliRaw(['run', '--store', path.join(dir, 'store-a'), '--', 'cat', file]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString('hex')).toBe('fffe');
  });

  it('3 MB of random bytes come out byte-identical (cmp), and the exit code is preserved', async () => {
    const file = path.join(dir, 'random.bin');
    writeFileSync(file, randomBytes(3 << 20));
    const r = await runCliRaw(['run', '--store', path.join(dir, 'store-b'), '--', 'sh', '-c', `cat "${file}"; exit 5`]);
    expect(r.code).toBe(5);
    const copy = path.join(dir, 'random.out');
    writeFileSync(copy, r.stdout);
    expect(r.stdout.length).toBe(3 << 20);
    // cmp exits non-zero (and execFileSync throws) when the files differ.
    expect(() => execFileSync('cmp', [file, copy])).not.toThrow();
  }, 60_000);

  it('the sinks get raw bytes while a decoded copy is still scanned, with characters split across reads joined', async () => {
    // A multi-byte character written in two halves, an error line after binary noise, and a stray 0xff.
    const script = `printf '\\342\\202'; sleep 0.1; printf '\\254 euro\\n\\377\\n'; echo "index.ts(1,1): error TS2304: Cannot find name 'q'." >&2`;
    const out = byteSink();
    const err = byteSink();
    const result = await runCommand(['sh', '-c', script], { cwd: dir, stdout: out.stream, stderr: err.stream });
    expect(out.bytes().toString('hex')).toBe(
      Buffer.concat([Buffer.from('€ euro\n'), Buffer.from([0xff, 0x0a])]).toString('hex'),
    );
    expect(result.output).toContain('€ euro');
    expect(result.output).not.toContain('\u00e2');
    expect(result.events.map((e) => e.message)).toEqual(["TS2304: Cannot find name 'q'."]);
  });
});
