import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore, resolveStoreDir } from '../../shared/store/localStore';
import { StoreCorruptError, StoreError } from '../../shared/store/errors';
import { recordRun } from '../../shared/store/patterns';
import { scanText } from '../../shared/detect/scanner';
import { MAX_HISTORY } from '../../shared/store/schema';

const tsc = "index.ts(3,13): error TS2304: Cannot find name 'foo'.\n";

describe('local store', () => {
  it('resolves --store, then HEAL_STORE, then .heal in the working directory', () => {
    expect(resolveStoreDir({ store: 'x', env: { HEAL_STORE: 'y' }, cwd: '/w' })).toBe('/w/x');
    expect(resolveStoreDir({ env: { HEAL_STORE: '/abs' }, cwd: '/w' })).toBe('/abs');
    expect(resolveStoreDir({ env: {}, cwd: '/w' })).toBe('/w/.heal');
  });

  it('records occurrences with counts and bounded history', async () => {
    const store = new LocalStore(mkdtempSync(path.join(tmpdir(), 'heal-store-')));
    const { events } = scanText(tsc);
    for (let i = 0; i < MAX_HISTORY + 10; i++) {
      await store.update(
        (d) => void recordRun(d, events, { source: 'file' }, new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString()),
      );
    }
    const data = await store.read();
    const pattern = data.patterns[events[0].fingerprint];
    expect(pattern.counts.seen).toBe(MAX_HISTORY + 10);
    expect(pattern.history).toHaveLength(MAX_HISTORY);
    expect(pattern.daily['2026-01-01']).toBe(MAX_HISTORY + 10);
    expect(pattern.firstSeen).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses a corrupt file with a clear error, keeps it and saves a copy', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-store-'));
    const file = path.join(dir, 'store.json');
    writeFileSync(file, '{"version":1,"patterns":{"x":{"bad":true}}');
    const store = new LocalStore(dir);
    await expect(store.update(() => undefined)).rejects.toThrow(StoreCorruptError);
    await expect(store.read()).rejects.toThrow(/store\.json is not valid/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"patterns":{"x":{"bad":true}}');
    expect(readdirSync(dir).some((f) => f.startsWith('store.json.corrupt-'))).toBe(true);
  });

  it('refuses a hand-edited file that parses but breaks the schema', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-store-'));
    writeFileSync(
      path.join(dir, 'store.json'),
      JSON.stringify({ version: 1, patterns: { a: { fingerprint: 1 } }, runs: [], sections: {} }),
    );
    await expect(new LocalStore(dir).read()).rejects.toThrow(/patterns\.a/);
  });

  it('refuses a store location that is a file, naming it, and leaves the file alone', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'heal-store-')), 'notes.txt');
    writeFileSync(file, 'mine');
    const store = new LocalStore(file);
    await expect(store.read()).rejects.toThrow(`Cannot use ${file} as the Heal store: it is a file, not a folder`);
    await expect(store.update(() => undefined)).rejects.toThrow(StoreError);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });
});
