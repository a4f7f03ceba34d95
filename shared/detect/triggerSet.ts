// The detectors' triggers compiled into a prefilter over raw output bytes.
//
// Each trigger is parsed and split at its top-level `|` into branches. For each branch we derive literals (as UTF-8
// bytes) that every match must contain — a line-start literal ("fatal: " of `^fatal: `), a line-end literal
// ("Permission denied" of `Permission denied$`), or one anywhere (" TS0"…" TS9" or ": " of ` TS\d+: `) — and pick
// the set that is cheapest to look for, from a rough cost model. Then one pass each finds the candidates of all:
//
//   line-start and line-end literals: the kernel's dispatch checks the first/last three or eight bytes of every
//     line against hashed tables (the lines arrive with the newlines anyway);
//   literals anywhere: the Teddy pass, by four bytes of each (its fingerprint), in 8 buckets of similar ones; on the
//     first large window of output the fingerprints are chosen again by what is rare in that output (tuned);
//   one-byte literals (seldom the best choice): Buffer.indexOf each.
//
// A candidate is confirmed by comparing the literal and testing the branch's byte regex (see regexSyntax.ts) on the
// line; a confirmed line is decoded and given to the detectors, whose own triggers decide. The literals and byte
// regexes only ever over-approximate, so no line a trigger matches is skipped. Triggers that cannot be parsed are
// not guessed at: then every line goes to the detectors.
import { hash3, hash4, hash8, type KernelTables } from './lineKernel';
import {
  branchesOf,
  byteFrequency,
  byteSource,
  flagsOf,
  infoOf,
  lineBytes,
  parseRegex,
  selectivity,
  type Node,
  Unsupported,
} from './regexSyntax';

/** Splits a regex source at its top-level `|` (outside groups and classes). */
export function topLevelBranches(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      current += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === '|' && depth === 0 && !inClass) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/** A literal looked for in a line, compared where it sits: from the line start, up to the line end, or anywhere. */
export interface Literal {
  bytes: Uint8Array;
  /** Indices into `TriggerSet.branches` of the branches one of whose literals this is. */
  branches: number[];
}

export type Printed = Literal & { offset: number };

export interface TriggerSet {
  /** Byte regexes of the branches (tested on the latin1 view of a line). */
  branches: RegExp[];
  /** Per branch matching whole lines only: 1 for each byte such a line cannot hold (a quick no before its regex). */
  foreign: Array<Uint8Array | undefined>;
  /** A trigger could not be read: every line must go to the detectors. */
  feedAll: boolean;
  tables: KernelTables;
  /** Line-start literals by their first byte (the bytes may end with "\n": a whole line). */
  starts: Array<Literal[] | undefined>;
  /** Line-end literals by their last byte. */
  ends: Array<Literal[] | undefined>;
  /**
   * Literals anywhere, by their fingerprint (two, three or four bytes as a little-endian 32-bit integer; index 0
   * holds the two-byte ones), with the fingerprint's offset in them.
   */
  prints: [Map<number, Printed[]>, Map<number, Printed[]>, Map<number, Printed[]>];
  /** Whether any literal has a fingerprint (so the Teddy pass is worth running). */
  printed: boolean;
  /** One-byte literals, each found with indexOf. */
  keys: Array<{ bytes: Buffer; branches: number[] }>;
  /** Branches without a usable literal: tested on every line. */
  always: number[];
  /** Whether one (cleaned, decoded) line may match a trigger: its byte regexes, which are all the prefilter checks. */
  matchesLine(line: string): boolean;
  /**
   * The same set with the fingerprints of the literals anywhere chosen, and put in buckets, by how often their bytes
   * occur in `sample` (output like what will be scanned) rather than by a guess: the rarest four bytes of a literal
   * in one log are common words in another.
   */
  tuned(sample: Uint8Array): TriggerSet;
}

// Cost model, in µs per MB of typical output: what a candidate costs to confirm, and what a Teddy candidate (the
// fingerprint's bytes, before the literal is compared) costs.
const LINES_PER_MB = 20_000;
const CONFIRM = 0.15;
const FINGERPRINT = 0.03;
const KEY_PASS = 150;

type Kind = 'start' | 'end' | 'any' | 'key' | 'always' | 'never';

/** How a literal (with "\n" for a line boundary) is looked for. */
function kindOf(lit: string): Kind {
  const inner = lit.replace(/^\n/, '').replace(/\n$/, '');
  if (inner.includes('\n')) return 'never'; // spans a line boundary: no line holds it
  if (lit.startsWith('\n')) return inner.length === 0 ? 'always' : 'start';
  if (lit.endsWith('\n')) return 'end';
  return lit.length >= 2 ? 'any' : 'key';
}

const chance = (s: string) => 2 ** -selectivity(s);

const fingerprints = new Map<string, { bytes: string; offset: number }>();

/** The rarest four bytes in a row of a literal anywhere (all of it when shorter), by the guessed byte frequencies. */
function fingerprint(lit: string): { bytes: string; offset: number } {
  let known = fingerprints.get(lit);
  if (!known) {
    known = rarestFour(lit);
    if (fingerprints.size > 4096) fingerprints.clear();
    fingerprints.set(lit, known);
  }
  return known;
}

function rarestFour(lit: string): { bytes: string; offset: number } {
  let best = { bytes: lit.slice(0, 4), offset: 0 };
  for (let i = 1; i + 4 <= lit.length; i++) {
    const bytes = lit.slice(i, i + 4);
    if (selectivity(bytes) > selectivity(best.bytes)) best = { bytes, offset: i };
  }
  return best;
}

/**
 * A little for each literal, so that of two sets about as cheap the one with longer literals wins; more for one the
 * Teddy pass looks for, which fills its buckets.
 */
const EACH = 0.01;
const EACH_PRINT = 1;
/** A fingerprint shorter than four bytes skips the exact check: all its bucket's candidates reach the literal compare. */
const EACH_SHORT_PRINT = 5;

function literalCost(lit: string, keys: Set<string>): number {
  switch (kindOf(lit)) {
    case 'never':
      return 0;
    case 'always':
      return LINES_PER_MB * CONFIRM;
    case 'start':
    case 'end':
      return LINES_PER_MB * chance(lit.replace(/\n/g, '')) * CONFIRM + EACH;
    case 'any':
      return (
        1e6 * (chance(lit) * CONFIRM + chance(fingerprint(lit).bytes) * FINGERPRINT) +
        (lit.length < 4 ? EACH_SHORT_PRINT : EACH_PRINT)
      );
    case 'key':
      return 1e6 * chance(lit) * CONFIRM + (keys.has(lit) ? 0 : KEY_PASS);
  }
}

const setCost = (set: string[], keys: Set<string>) => set.reduce((sum, lit) => sum + literalCost(lit, keys), 0);

interface Branch {
  regex: RegExp;
  foreign: Uint8Array | undefined;
  /** Candidate literal sets (every match contains one literal of each set), best first. */
  choices: string[][];
}

function branchesOfTrigger(trigger: RegExp): Branch[] {
  const tree = parseRegex(trigger.source, flagsOf(trigger.flags));
  return branchesOf(tree).map((node: Node) => {
    const info = infoOf(node);
    const allowed = lineBytes(node);
    const foreign = allowed && Uint8Array.from(allowed, (ok) => (ok ? 0 : 1));
    return { regex: new RegExp(byteSource(node)), foreign, choices: info.fac };
  });
}

function bitSet(bits: Uint8Array, h: number): void {
  bits[h >> 3] |= 1 << (h & 7);
}

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/**
 * The dispatch tables for line-start (or, `fromEnd`, line-end) literals grouped by their first (last) byte: per
 * byte, 1 when one is shorter than three bytes (every line with that byte there is a candidate), 3 when all are
 * eight bytes or more (by the hash8 of the first/last eight), else 2 (by the hash3 of three).
 */
function lineTables(
  byByte: Array<Literal[] | undefined>,
  one: Uint8Array,
  bits3: Uint8Array,
  bits8: Uint8Array,
  fromEnd: boolean,
): void {
  const u32 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
  byByte.forEach((lits, c) => {
    if (!lits) return;
    // A line-start literal may end with "\n" (a whole line): the line itself is one byte shorter.
    const inner = (lit: Literal) => lit.bytes.length - (!fromEnd && lit.bytes[lit.bytes.length - 1] === 10 ? 1 : 0);
    const shortest = Math.min(...lits.map(inner));
    one[c] = shortest < 3 ? 1 : shortest >= 8 ? 3 : 2;
    for (const lit of lits) {
      const b = lit.bytes;
      const at = fromEnd ? b.length - 8 : 0;
      if (one[c] === 3) bitSet(bits8, hash8(u32(b, at), u32(b, at + 4)));
      else if (one[c] === 2)
        bitSet(bits3, fromEnd ? hash3(b[b.length - 3], b[b.length - 2], b[b.length - 1]) : hash3(b[0], b[1], b[2]));
    }
  });
}

const BUCKETS = 8;

/** The nibble masks of a bucket: per fingerprint byte, which low and high nibbles occur (16-bit sets). */
interface Nibbles {
  lo: number[];
  hi: number[];
}

/** The chance that four bytes in a row pass a bucket's nibble tables (a byte passes if both its nibbles occur). */
type Pass = (n: Nibbles) => number;

const memberLists = new Map<number, number[]>();

/** The bytes whose low nibble is in the set `lo` and high nibble in `hi` (16-bit sets). */
function members(lo: number, hi: number): number[] {
  const key = lo * 65536 + hi;
  let out = memberLists.get(key);
  if (!out) {
    out = [];
    for (let c = 0; c < 256; c++) if ((lo >> (c & 15)) & 1 && (hi >> (c >> 4)) & 1) out.push(c);
    if (memberLists.size > 4096) memberLists.clear();
    memberLists.set(key, out);
  }
  return out;
}

/** By byte frequencies, as if bytes were independent. */
function independentPass(freq: (c: number) => number): Pass {
  const table = Array.from({ length: 256 }, (_, c) => freq(c));
  return (n) => {
    let p = 1;
    for (let j = 0; j < 4; j++) {
      let q = 0;
      for (const c of members(n.lo[j], n.hi[j])) q += table[c];
      p *= Math.min(1, q);
    }
    return p;
  };
}

/** By the byte pairs of a sample: bytes 0–1 and 2–3 as pairs (words make neighbouring bytes far from independent). */
function pairPass(pairs: Uint32Array, total: number): Pass {
  const firsts = new Float64Array(256);
  const seconds = new Float64Array(256);
  for (let x = 0; x < 256; x++) {
    for (let y = 0; y < 256; y++) {
      firsts[x] += pairs[(x << 8) | y];
      seconds[y] += pairs[(x << 8) | y];
    }
  }
  const ANY = 0xffff;
  const pair = (lo0: number, hi0: number, lo1: number, hi1: number) => {
    let sum = 0;
    if (lo1 === ANY && hi1 === ANY) for (const x of members(lo0, hi0)) sum += firsts[x];
    else if (lo0 === ANY && hi0 === ANY) for (const y of members(lo1, hi1)) sum += seconds[y];
    else {
      const b = members(lo1, hi1);
      for (const x of members(lo0, hi0)) for (const y of b) sum += pairs[(x << 8) | y];
    }
    return Math.max(sum, 1) / total;
  };
  return (n) => pair(n.lo[0], n.hi[0], n.lo[1], n.hi[1]) * pair(n.lo[2], n.hi[2], n.lo[3], n.hi[3]);
}

function withPrint(n: Nibbles, print: string): Nibbles {
  const lo = [...n.lo];
  const hi = [...n.hi];
  for (let j = 0; j < 4; j++) {
    if (j < print.length) {
      lo[j] |= 1 << (print.charCodeAt(j) & 15);
      hi[j] |= 1 << (print.charCodeAt(j) >> 4);
    } else [lo[j], hi[j]] = [0xffff, 0xffff]; // a shorter print: any byte there
  }
  return { lo, hi };
}

/** A literal anywhere, before its fingerprint is chosen. */
interface Anywhere {
  text: string;
  bytes: Uint8Array;
  branches: number[];
}

interface Teddy {
  teddy: Uint8Array;
  prints: Uint8Array;
  byPrint: TriggerSet['prints'];
}

/** Up to four latin1 bytes as a little-endian 32-bit integer. */
function printValue(print: string): number {
  let value = 0;
  for (let j = 0; j < print.length; j++) value |= print.charCodeAt(j) << (8 * j);
  return value;
}

/**
 * The Teddy tables for some literals: each literal's fingerprint (from `choose`) goes in the bucket where it adds
 * the fewest false candidates by `pass` (short fingerprints first, so they get buckets of their own while there are
 * free ones); byte j of a fingerprint in bucket k sets bit k of lo[j][low nibble] and hi[j][high nibble] (all of
 * them past the end of a short one). Four-byte fingerprints also get their hash4 bit, which the kernel checks.
 */
function buildTeddy(lits: Anywhere[], choose: (lit: string) => { bytes: string; offset: number }, pass: Pass): Teddy {
  const teddy = new Uint8Array(129);
  const prints = new Uint8Array(8192);
  const byPrint: TriggerSet['prints'] = [new Map(), new Map(), new Map()];
  const printed = lits.map((lit) => ({ lit, ...choose(lit.text) }));
  const nibbles: Nibbles[] = Array.from({ length: BUCKETS }, () => ({ lo: [0, 0, 0, 0], hi: [0, 0, 0, 0] }));
  const short = new Array<boolean>(BUCKETS).fill(false);
  printed.sort(
    (a, b) => Number(b.bytes.length < 4) - Number(a.bytes.length < 4) || selectivity(b.bytes) - selectivity(a.bytes),
  );
  // A bucket with a short fingerprint skips the exact check: its candidates cost more.
  const weight = (isShort: boolean) => (isShort ? 1 : 1 / 4);
  const cost = new Array<number>(BUCKETS).fill(0);
  for (const { lit, bytes: print, offset } of printed) {
    let best = 0;
    let bestAdded = Infinity;
    for (let k = 0; k < BUCKETS; k++) {
      const after = pass(withPrint(nibbles[k], print)) * weight(short[k] || print.length < 4);
      if (after - cost[k] < bestAdded) [best, bestAdded] = [k, after - cost[k]];
    }
    nibbles[best] = withPrint(nibbles[best], print);
    cost[best] += bestAdded;
    short[best] ||= print.length < 4;
    const value = printValue(print);
    if (print.length === 4) bitSet(prints, hash4(value));
    const map = byPrint[print.length - 2];
    map.set(value, [...(map.get(value) ?? []), { bytes: lit.bytes, branches: lit.branches, offset }]);
  }
  for (let k = 0; k < BUCKETS; k++) {
    for (let j = 0; j < 4; j++) {
      for (let x = 0; x < 16; x++) {
        if ((nibbles[k].lo[j] >> x) & 1) teddy[32 * j + x] |= 1 << k;
        if ((nibbles[k].hi[j] >> x) & 1) teddy[32 * j + 16 + x] |= 1 << k;
      }
    }
    if (short[k]) teddy[128] |= 1 << k;
  }
  return { teddy, prints, byPrint };
}

/** Counts of the four-byte sequences of a sample, by hash4 (colliding ones add up: an overestimate, harmless). */
function gramCounts(sample: Uint8Array): Uint32Array {
  const counts = new Uint32Array(65536);
  if (sample.length < 4) return counts;
  let x = (sample[0] << 8) | (sample[1] << 16) | (sample[2] << 24);
  for (let i = 3; i < sample.length; i++) {
    x = (x >>> 8) | (sample[i] << 24);
    counts[hash4(x)]++;
  }
  return counts;
}

export function compileTriggers(triggers: Array<RegExp | string>): TriggerSet {
  const regexes = triggers.map((t) => (typeof t === 'string' ? new RegExp(t) : t));
  const branches: Branch[] = [];
  let feedAll = false;
  for (const re of regexes) {
    try {
      branches.push(...branchesOfTrigger(re));
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      feedAll = true;
    }
  }

  // Pick each branch's literal set: cheapest first on its own, then again knowing which one-byte keys are taken.
  let keys = new Set<string>();
  let picks: Array<string[] | undefined> = [];
  for (let round = 0; round < 2; round++) {
    picks = branches.map((b) => {
      let best: string[] | undefined;
      let bestCost = LINES_PER_MB * CONFIRM;
      for (const set of b.choices) {
        const cost = setCost(set, keys);
        if (cost < bestCost) [best, bestCost] = [set, cost];
      }
      return best;
    });
    keys = new Set(picks.flatMap((set) => (set ?? []).filter((lit) => kindOf(lit) === 'key')));
  }

  const byLiteral = new Map<string, number[]>();
  const always: number[] = [];
  picks.forEach((set, i) => {
    if (!set) return void always.push(i);
    for (const lit of set) {
      const kind = kindOf(lit);
      if (kind === 'never') continue;
      if (kind === 'always') always.push(i);
      else byLiteral.set(lit, [...(byLiteral.get(lit) ?? []), i]);
    }
  });

  const tables: KernelTables = {
    pre1: new Uint8Array(256),
    preBits: new Uint8Array(8192),
    preBits8: new Uint8Array(8192),
    suf1: new Uint8Array(256),
    sufBits: new Uint8Array(8192),
    sufBits8: new Uint8Array(8192),
    teddy: new Uint8Array(129),
    prints: new Uint8Array(8192),
  };
  const starts: Array<Literal[] | undefined> = new Array(256).fill(undefined);
  const ends: Array<Literal[] | undefined> = new Array(256).fill(undefined);
  const anywhere: Anywhere[] = [];
  const keyList: TriggerSet['keys'] = [];

  for (const [lit, ids] of byLiteral) {
    const kind = kindOf(lit);
    const branchIds = [...new Set(ids)];
    if (kind === 'start') {
      const body = lit.slice(1); // may end with "\n": the whole line
      (starts[body.charCodeAt(0)] ??= []).push({ bytes: latin1(body), branches: branchIds });
    } else if (kind === 'end') {
      const body = lit.slice(0, -1);
      (ends[body.charCodeAt(body.length - 1)] ??= []).push({ bytes: latin1(body), branches: branchIds });
    } else if (kind === 'any') anywhere.push({ text: lit, bytes: latin1(lit), branches: branchIds });
    else keyList.push({ bytes: Buffer.from(latin1(lit)), branches: branchIds });
  }
  lineTables(starts, tables.pre1, tables.preBits, tables.preBits8, false);
  lineTables(ends, tables.suf1, tables.sufBits, tables.sufBits8, true);
  const teddy = buildTeddy(anywhere, fingerprint, independentPass(byteFrequency));
  tables.teddy = teddy.teddy;
  tables.prints = teddy.prints;

  const byteRegexes = branches.map((b) => b.regex);
  const set: TriggerSet = {
    branches: byteRegexes,
    foreign: branches.map((b) => b.foreign),
    feedAll,
    tables,
    starts,
    ends,
    prints: teddy.byPrint,
    printed: anywhere.length > 0,
    keys: keyList,
    always: [...new Set(always)],
    matchesLine(line) {
      if (feedAll) return true;
      const bytes = Buffer.from(line, 'utf8').toString('latin1');
      return byteRegexes.some((re) => re.test(bytes));
    },
    tuned(sample) {
      if (anywhere.length === 0 || sample.length < 4096) return set;
      const counts = gramCounts(sample);
      const pairs = new Uint32Array(65536);
      for (let i = 1; i < sample.length; i++) pairs[(sample[i - 1] << 8) | sample[i]]++;
      const choose = (lit: string) => {
        if (lit.length <= 4) return { bytes: lit, offset: 0 };
        let best = { bytes: lit.slice(0, 4), offset: 0 };
        let bestCount = Infinity;
        for (let i = 0; i + 4 <= lit.length; i++) {
          const bytes = lit.slice(i, i + 4);
          const count = counts[hash4(printValue(bytes))];
          if (count < bestCount || (count === bestCount && selectivity(bytes) > selectivity(best.bytes)))
            [best, bestCount] = [{ bytes, offset: i }, count];
        }
        return best;
      };
      const t = buildTeddy(anywhere, choose, pairPass(pairs, sample.length));
      return { ...set, tables: { ...tables, teddy: t.teddy, prints: t.prints }, prints: t.byPrint };
    },
  };
  return set;
}
