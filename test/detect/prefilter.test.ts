// The scanner's prefilter (trigger literals, byte regexes, byte kernels) must never change what is found: scanning
// with it and without it (every line fed to the detectors, the reference) gives exactly the same events, on real
// fixtures, on generated logs and on hostile or random bytes, however the output is split, with the WebAssembly
// kernels and with their JavaScript twins.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanLine } from '../../shared/capture';
import { cleanLineBytes } from '../../shared/detect/cleanBytes';
import type { Detector } from '../../shared/detect/detector';
import { lineDetector } from '../../shared/detect/detector';
import { createKernel, useKernel, wasmAvailable } from '../../shared/detect/lineKernel';
import { allDetectors } from '../../shared/detect/registry';
import { branchesOf, byteSource, flagsOf, lineBytes, parseRegex } from '../../shared/detect/regexSyntax';
import { Scan, type ScanOptions } from '../../shared/detect/scanner';
import { generate } from '../../bench/scan/generate.mjs';

function scan(input: Buffer, options: ScanOptions = {}, pieces: number[] = []) {
  const s = new Scan(options);
  let at = 0;
  for (const size of pieces) {
    if (at >= input.length) break;
    s.write(input.subarray(at, at + size));
    at += size;
  }
  if (at < input.length) s.write(input.subarray(at));
  const result = s.finish();
  return { ...result, events: result.events.map((e) => JSON.stringify(e)) };
}

/**
 * Scans without the prefilter, with it from the first byte, and with it from halfway (the scanner feeds small
 * output line by line and switches to the prefilter as it grows); all must agree exactly (events, lines, bytes).
 */
function expectSame(input: Buffer, label: string, options: ScanOptions = {}, pieces: number[] = []) {
  const reference = scan(input, { ...options, exhaustive: true });
  for (const prefilterAfter of [0, input.length >> 1]) {
    const fast = scan(input, { prefilterAfter, ...options }, pieces);
    const name = `${label} (prefilter after ${prefilterAfter} bytes)`;
    expect(fast.lines, `${name}: lines`).toBe(reference.lines);
    expect(fast.bytes, `${name}: bytes`).toBe(reference.bytes);
    expect(fast.events, `${name}: events`).toEqual(reference.events);
  }
  return reference;
}

/** Seeded PRNG (mulberry32). */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const fixtures = filesUnder(path.join(__dirname, '../fixtures')).sort();
const fixtureText = fixtures.map((f) => readFileSync(f));

/** Real lines that start errors, for building random inputs. */
const triggerLines = fixtureText
  .flatMap((b) => b.toString('utf8').split('\n'))
  .filter((line) => allDetectors().some((d) => d.trigger.test(cleanLine(line))))
  .slice(0, 400);

/** A hostile mix: trigger lines broken up by escapes, carriage returns, control and invalid bytes, long lines. */
function hostile(seed: number, lines: number): Buffer {
  const r = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)];
  const noise = [
    '\x1b[31m',
    '\x1b[0m',
    '\x1b]0;title\x07',
    '\x1b]8;;http://x\x1b\\',
    '\x1bP+q\x1b\\',
    '\x1b[',
    '\x1b',
    '\x1b(B',
    '\r',
    '\r\n',
    '\x07',
    '\x08',
    '\x00',
    '\x7f',
    '\t',
    '\u009b31m',
    '\x9b',
    '\xff',
    '\xc3',
    '\u00a0',
    '\u3000',
    '●',
    ' ',
    ':',
    'é',
  ];
  const out: Buffer[] = [];
  for (let i = 0; i < lines; i++) {
    let line = r() < 0.6 ? pick(triggerLines) : pick(['', 'plain text', 'PASS src/a.test.ts', '  ✓ ok', '[INFO] fine']);
    // Insert noise at random places, sometimes inside trigger words.
    const inserts = Math.floor(r() * 4);
    for (let k = 0; k < inserts; k++) {
      const at = Math.floor(r() * (line.length + 1));
      line = line.slice(0, at) + pick(noise) + line.slice(at);
    }
    if (r() < 0.01)
      line = line + 'x'.repeat(20_000 + Math.floor(r() * 60_000)) + pick(['', ' Permission denied', '.ts']);
    // Some noise goes in as raw (possibly invalid) bytes, some as UTF-8.
    out.push(r() < 0.5 ? Buffer.from(line, 'latin1') : Buffer.from(line, 'utf8'), Buffer.from(r() < 0.05 ? '' : '\n'));
  }
  return Buffer.concat(out);
}

function randomPieces(seed: number, total: number): number[] {
  const r = prng(seed);
  const pieces: number[] = [];
  for (let sum = 0; sum < total;) {
    const size = 1 + Math.floor(r() < 0.3 ? r() * 16 : r() < 0.5 ? r() * 4096 : r() * (2 << 20));
    pieces.push(size);
    sum += size;
  }
  return pieces;
}

const kinds = wasmAvailable() ? (['wasm', 'js'] as const) : (['js'] as const);

describe.each(kinds)('prefilter (%s kernels)', (kind) => {
  useKernel(kind);
  afterAll(() => useKernel(undefined));

  it('finds exactly what feeding every line finds, on every fixture', () => {
    useKernel(kind);
    fixtures.forEach((file, i) => expectSame(fixtureText[i], path.relative(__dirname, file)));
  });

  it('finds the same on all fixtures in one output, split anywhere and coloured', () => {
    useKernel(kind);
    const all = Buffer.concat(fixtureText.flatMap((b) => [b, Buffer.from('\n')]));
    const events = expectSame(all, 'all fixtures', {}, randomPieces(1, all.length)).events;
    expect(events.length).toBeGreaterThan(100);
    // Colour every word that starts a line, the way tools colour their output.
    const coloured = Buffer.from(all.toString('utf8').replace(/^(\w+)/gm, '\x1b[1;31m$1\x1b[0m'));
    expectSame(coloured, 'coloured fixtures', {}, randomPieces(2, coloured.length));
  });

  it('finds the same on a generated build log (a few MB, past the first window)', async () => {
    useKernel(kind);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'heal-prefilter-')), 'scan.log');
    const { errors } = await generate(file, 3 << 20, { errorEvery: 700 });
    const log = readFileSync(file);
    const reference = expectSame(log, 'generated log');
    expect(reference.events).toHaveLength(errors);
    expectSame(log, 'generated log, split', {}, randomPieces(3, log.length));
  });

  it('finds the same on hostile bytes: escapes and control bytes inside trigger words, invalid UTF-8, long lines', () => {
    useKernel(kind);
    for (let seed = 1; seed <= 6; seed++) {
      const input = hostile(seed, 3000);
      expectSame(input, `hostile ${seed}`, {}, randomPieces(seed, input.length));
    }
  });

  it('finds the same with triggers it cannot read (then it feeds every line) and with odd regex syntax', () => {
    useKernel(kind);
    const odd: Detector[] = [
      /\p{Lu}RROR/u,
      /(?<w>ab)\k<w>|x(y)\2|[^]?Z{2,}/,
      /(?=.*FAILED)(?!.*PASS)^\S+ > /i,
      /^(?:\s*)$/m,
      /a.b/s,
      /(?<!x)Tr[aeiou]ceback|\u2026|\x41\cJ?/,
    ].map((trigger, i) =>
      lineDetector(`odd${i}`, trigger, (line) => ({
        tool: 'odd',
        category: 'test',
        severity: 'error',
        message: `${i}:${line}`,
      })),
    );
    const text = Buffer.from(
      [
        ...fixtureText.slice(0, 30).map((b) => b.toString('utf8')),
        'ERROR',
        'ababab',
        'xyy',
        'xZZZ',
        'a\x1b[0m > b FAILED',
        '   ',
        '',
        'a\u2028b',
        'AB…',
      ].join('\n'),
    );
    expectSame(text, 'odd triggers', { detectors: [...allDetectors(), ...odd] });
    expectSame(hostile(9, 1000), 'odd triggers, hostile', { detectors: odd });
  });
});

describe('prefilter parts', () => {
  it('cleans bytes as cleanLine cleans the decoded line', () => {
    const r = prng(7);
    const parts = [
      '\x1b[',
      '\x1b]',
      '\x1b\\',
      '\x1bP',
      '\x1b_',
      '\x1b',
      '\x07',
      '\r',
      '31m',
      '0;',
      '?25l',
      ' ',
      'a',
      'error',
      '\x00',
      '\x08',
      '\t',
      '\x7f',
      '[',
      ']',
      '\\',
      'm',
      '@',
      'Z',
      '^',
      '~',
      'é',
      '●',
    ];
    const out = new Uint8Array(1 << 16);
    for (let n = 0; n < 5000; n++) {
      let line = '';
      for (let k = Math.floor(r() * 20); k > 0; k--) line += parts[Math.floor(r() * parts.length)];
      const raw = Buffer.from(line, 'utf8');
      const end = cleanLineBytes(raw, 0, raw.length, out, 0);
      expect(Buffer.from(out.subarray(0, end)).toString('utf8'), JSON.stringify(line)).toBe(cleanLine(line));
    }
    expect(cleanLineBytes(Buffer.from('a\u009bb'), 0, 4, out, 0)).toBe(-1);
    expect(cleanLineBytes(Buffer.from('a\x9bb', 'latin1'), 0, 3, out, 0)).toBe(3);
  });

  it('byte regexes match every line the triggers match, and whole-line branches hold only their bytes', () => {
    const lines = [...triggerLines, ...hostile(11, 2000).toString('utf8').split('\n')].map((l) => cleanLine(l));
    for (const d of allDetectors()) {
      const branches = branchesOf(parseRegex(d.trigger.source, flagsOf(d.trigger.flags))).map((b) => ({
        re: new RegExp(byteSource(b)),
        allowed: lineBytes(b),
      }));
      for (const line of lines) {
        const bytes = Buffer.from(line, 'utf8').toString('latin1');
        for (const { re, allowed } of branches) {
          if (allowed && re.test(bytes))
            expect(
              [...bytes].every((c) => allowed[c.charCodeAt(0)]),
              `${d.id}: ${JSON.stringify(line)}`,
            ).toBe(true);
        }
        if (!d.trigger.test(line)) continue;
        expect(
          branches.some(({ re }) => re.test(bytes)),
          `${d.id}: ${JSON.stringify(line)}`,
        ).toBe(true);
      }
    }
  });

  it('byte regexes match wherever JavaScript matches, on edge syntax (Annex B, surrogates, case folding)', () => {
    const sources = [
      '\\uD83D\\uDE00!',
      '😀+x',
      '\\8',
      'x{',
      'x{2,}y',
      '[\\d-z]+',
      '(?<n>ab)\\k<n>',
      'é',
      '[^é]b',
      '\\cJ',
      '\\0',
    ];
    const texts = ['😀!', '😀😀x', '8', 'x{', 'xxy', '5-z', 'abab', 'É é', 'éb', '\n', '\0', 'Ab', 'X{'];
    for (const flags of ['', 'i']) {
      for (const source of sources) {
        const original = new RegExp(source, flags);
        const branches = branchesOf(parseRegex(source, flagsOf(flags))).map((b) => new RegExp(byteSource(b)));
        for (const text of texts.filter((t) => original.test(t))) {
          const bytes = Buffer.from(text, 'utf8').toString('latin1');
          expect(
            branches.some((re) => re.test(bytes)),
            `/${source}/${flags} on ${JSON.stringify(text)}`,
          ).toBe(true);
        }
      }
    }
  });

  it('WebAssembly and JavaScript kernels compute the same', () => {
    if (!wasmAvailable()) return;
    const kernels = [createKernel('wasm'), createKernel('js')];
    const r = prng(5);
    const tables = {
      pre1: Uint8Array.from({ length: 256 }, () => Math.floor(r() * 4)),
      preBits: Uint8Array.from({ length: 8192 }, () => (r() < 0.3 ? 0xff : 0)),
      preBits8: Uint8Array.from({ length: 8192 }, () => (r() < 0.3 ? 0xaa : 0)),
      suf1: Uint8Array.from({ length: 256 }, () => Math.floor(r() * 4)),
      sufBits: Uint8Array.from({ length: 8192 }, () => (r() < 0.3 ? 0x55 : 0)),
      sufBits8: Uint8Array.from({ length: 8192 }, () => (r() < 0.3 ? 0x0f : 0)),
      teddy: Uint8Array.from({ length: 129 }, () => Math.floor(r() * 256) & Math.floor(r() * 256)),
      prints: Uint8Array.from({ length: 8192 }, () => (r() < 0.5 ? 0xff : 0)),
    };
    // Hostile windows, and ones shorter than a SIMD step or around its size (the loops' first and last steps).
    const tiny = ['', '\n', 'x', '\x1b[1mERROR\x1b[0m', 'a'.repeat(15) + '\n', 'b'.repeat(16) + '\n', '\r\n'.repeat(9)];
    const inputs = [
      ...Array.from({ length: 20 }, (_, round) => hostile(100 + round, 300)),
      ...tiny.map((t) => Buffer.from(t)),
    ];
    for (const input of inputs) {
      const [a, b] = kernels.map((k) => {
        k.ensure(input.length);
        k.load(tables);
        const L = k.layout;
        k.mem.set(input, L.raw);
        k.mem.fill(32, L.raw + input.length, L.raw + input.length + 64);
        const view = (at: number, n: number) => Array.from(k.i32.subarray(at >> 2, (at >> 2) + n));
        const [lines, special] = k.classify(L.raw, input.length, L.nlRaw, L.special);
        const nl = view(L.nlRaw, lines);
        const sp = view(L.special, special);
        const n = k.dispatch(L.nlRaw, lines, L.raw, L.out, L.special, special, 200);
        const dispatched = view(L.out, n);
        const [cleanLen, forced] = k.clean(n, lines, input.length, 65536);
        const cleaned = Buffer.from(k.mem.subarray(L.clean, L.clean + cleanLen)).toString('latin1');
        const result = {
          lines,
          nl,
          sp,
          dispatched,
          cleaned,
          forced: view(L.special, forced),
          nlClean: view(L.nlClean, lines),
          entries: view(L.out, n),
        };
        const found = k.teddy(L.clean, cleanLen, L.out);
        return JSON.stringify({ ...result, teddy: view(L.out, found) });
      });
      expect(a).toBe(b);
    }
  });
});
