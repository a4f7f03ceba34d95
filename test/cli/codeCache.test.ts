// The `heal` entry loads the CLI bundle through V8's code cache; a missing, stale or corrupt cache never matters.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

let dist: string;
const run = (cache: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(dist, 'cli.js'), ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    input: "Error: Cannot find module 'x'\n",
    env: { ...process.env, XDG_CACHE_HOME: cache },
  });
const cacheFiles = (cache: string) => readdirSync(path.join(cache, 'heal')).filter((f) => f.endsWith('.v8cache'));

beforeAll(async () => {
  dist = mkdtempSync(path.join(tmpdir(), 'heal-dist-'));
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    outdir: dist,
    logLevel: 'error' as const,
  };
  await build({ ...common, entryPoints: { cli: path.resolve(__dirname, '../../client/cli/bin.ts') } });
  await build({
    ...common,
    entryPoints: { cliMain: path.resolve(__dirname, '../../client/cli/main.ts') },
    define: { 'import.meta.url': 'importMetaUrl', HEAL_VERSION: '"9.9.9"' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
}, 60_000);

describe('the heal entry point', () => {
  it('writes the code cache on the first run and reuses it afterwards', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'heal-cache-'));
    const first = run(cache, '--version');
    expect(first.status).toBe(0);
    expect(first.stdout.trim()).toBe('9.9.9');
    const [file] = cacheFiles(cache);
    expect(statSync(path.join(cache, 'heal', file)).size).toBeGreaterThan(10_000);
    const before = readFileSync(path.join(cache, 'heal', file));
    const second = run(cache, 'fingerprint', '--json');
    expect(second.status).toBe(0);
    // An accepted cache is not written again.
    expect(readFileSync(path.join(cache, 'heal', file)).equals(before)).toBe(true);
  });

  it('runs normally and repairs the cache when the cache file is garbage', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'heal-cache-'));
    run(cache, '--version');
    const [file] = cacheFiles(cache);
    writeFileSync(path.join(cache, 'heal', file), 'not a code cache');
    const r = run(cache, '--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('9.9.9');
    expect(statSync(path.join(cache, 'heal', file)).size).toBeGreaterThan(10_000);
  });

  it('runs when the cache folder cannot be written', () => {
    const r = run('/proc/heal-no-such-dir', '--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('9.9.9');
    expect(r.stderr).toBe('');
  });
});
