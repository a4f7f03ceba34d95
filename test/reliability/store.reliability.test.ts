import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundle } from '../cliHarness';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../shared/store/localStore';
import { written } from './writtenSection';

let writer: string;

beforeAll(async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'heal-writer-'));
  writer = path.join(out, 'storeWriter.js');
  await bundle('test/reliability/storeWriter.ts', writer);
});

interface Child {
  acked: string[];
  done: Promise<number | null>;
  kill(): void;
  firstAck: Promise<void>;
}

function startWriter(dir: string, count: number, prefix: string): Child {
  const child = spawn(process.execPath, [writer, dir, String(count), prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: string[] = [];
  let carry = '';
  let resolveFirst!: () => void;
  const firstAck = new Promise<void>((r) => (resolveFirst = r));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    const parts = (carry + text).split('\n');
    carry = parts.pop() ?? '';
    acked.push(...parts);
    if (acked.length > 0) resolveFirst();
  });
  const done = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolveFirst();
      resolve(code);
    }),
  );
  return { acked, done, firstAck, kill: () => child.kill('SIGKILL') };
}

describe('store reliability', () => {
  it('survives 100 kill -9 during writes: the file parses and holds every acknowledged record', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-kill-'));
    const store = new LocalStore(dir);
    const acknowledged: string[] = [];
    for (let trial = 0; trial < 100; trial++) {
      const child = startWriter(dir, 100_000, `t${trial}`);
      await child.firstAck;
      await new Promise((r) => setTimeout(r, Math.random() * 40));
      child.kill();
      await child.done;
      acknowledged.push(...child.acked);
      // The writer is dead; its lock would go stale after a timeout (tested below). Skip the wait here.
      rmSync(path.join(dir, 'store.json.lock'), { recursive: true, force: true });
      const data = await store.read();
      const ids = new Set(written.get(data));
      const missing = acknowledged.filter((id) => !ids.has(id));
      expect(missing, `trial ${trial}`).toEqual([]);
    }
    expect(acknowledged.length).toBeGreaterThan(100);
  }, 180_000);

  it('takes over the lock of a writer killed while holding it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-stale-'));
    const child = startWriter(dir, 100_000, 'k');
    await child.firstAck;
    child.kill();
    await child.done;
    const next = startWriter(dir, 1, 'after');
    expect(await next.done).toBe(0);
    expect(written.get(await new LocalStore(dir).read())).toContain('after-0');
  }, 60_000);

  it('4 processes × 500 concurrent writes: every record present, counts exact', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heal-conc-'));
    const children = [0, 1, 2, 3].map((p) => startWriter(dir, 500, `p${p}`));
    const codes = await Promise.all(children.map((c) => c.done));
    expect(codes).toEqual([0, 0, 0, 0]);
    const data = await new LocalStore(dir).read();
    const ids = written.get(data);
    expect(ids).toHaveLength(2000);
    expect(new Set(ids).size).toBe(2000);
    const [pattern] = Object.values(data.patterns);
    expect(pattern.counts.seen).toBe(2000);
  }, 300_000);
});
