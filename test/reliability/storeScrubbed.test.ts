// DESIGN.md: everything stored is scrubbed. A token in scanned output must not reach the pattern's examples or its
// normalised message, neither through the engine nor through `heal scan`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanText } from '../../shared/detect/scanner';
import { recordOccurrence, recordRun } from '../../shared/store/patterns';
import { emptyStore } from '../../shared/store/schema';
import { runCli } from '../cliHarness';

// Built at run time so the source holds no token-shaped literal.
const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0';
const npmToken = 'npm_' + 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8'; // 36 characters after the prefix
const output = `fatal: unable to access 'https://x-access-token:${token}@github.com/acme/app.git/': The requested URL returned error: 403\nerror: publish failed with ${npmToken} for @acme/app\n`;

describe('the store keeps only scrubbed text', () => {
  it('examples and the normalised message of a pattern hold no token', () => {
    const events = scanText(output).events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.message.includes(token) || e.message.includes(npmToken))).toBe(true);
    const data = emptyStore();
    recordRun(data, events, { source: 'terminal', commandLine: 'git push', exitCode: 128 }, '2026-01-01T00:00:00.000Z');
    const patterns = Object.values(data.patterns);
    expect(patterns.length).toBe(events.length);
    for (const p of patterns) {
      expect(p.examples.length).toBeGreaterThan(0);
      for (const text of [...p.examples, p.message]) {
        expect(text).not.toContain(token);
        expect(text).not.toContain(npmToken);
      }
    }
    expect(patterns.flatMap((p) => p.examples).join('\n')).toContain('[REDACTED]');
  });

  it('repeats of the same error add no unscrubbed example', () => {
    const [event] = scanText(`error: publish failed with ${npmToken} for @acme/app\n`).events;
    const data = emptyStore();
    for (let i = 0; i < 3; i++) recordOccurrence(data, event, `2026-01-0${i + 1}T00:00:00.000Z`);
    const p = data.patterns[event.fingerprint];
    expect(p.counts.seen).toBe(3);
    expect(p.examples).toHaveLength(1);
    expect(p.examples[0]).not.toContain(npmToken);
  });

  it('heal scan writes no token to the store file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-scrubbed-store-'));
    const log = path.join(dir, 'ci.log');
    writeFileSync(log, output);
    const store = path.join(dir, 'store');
    const r = await runCli(['scan', '--store', store, log]);
    expect(r.code).toBe(1);
    const stored = readFileSync(path.join(store, 'store.json'), 'utf8');
    expect(stored).toContain('examples');
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(npmToken);
  });
});
